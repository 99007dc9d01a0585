using Tuneforge.Engine.Models;
using Tuneforge.Text;

namespace Tuneforge.Engine.Gguf;

/// <summary>
/// The metadata llama.cpp reads to build a model and its tokenizer: <c>general.*</c>, the architecture's hyper-
/// parameters (<c>qwen2.embedding_length</c>, ...) and <c>tokenizer.ggml.*</c> for a byte-level BPE ("gpt2") vocabulary.
/// </summary>
public static class GgufModelMetadata
{
    /// <summary>The key llama.cpp and Ollama read the Jinja chat template from.</summary>
    public const string ChatTemplateKey = "tokenizer.chat_template";

    /// <summary>llama.cpp's architecture name (<c>general.architecture</c>).</summary>
    public static string ArchitectureName(ModelArchitecture architecture) => architecture switch
    {
        ModelArchitecture.Llama => "llama",
        ModelArchitecture.Qwen2 => "qwen2",
        ModelArchitecture.Qwen3 => "qwen3",
        _ => throw new ArgumentOutOfRangeException(nameof(architecture)),
    };

    public static void AddGeneral(GgufWriter writer, ModelConfig config, string name, GgufFileType fileType)
    {
        writer.Set("general.architecture", GgufValue.String(ArchitectureName(config.Architecture)));
        writer.Set("general.type", GgufValue.String("model"));
        writer.Set("general.name", GgufValue.String(name));
        writer.Set("general.file_type", GgufValue.UInt32((uint)fileType));
        writer.Set("general.quantization_version", GgufValue.UInt32(2));
    }

    public static void AddArchitecture(GgufWriter writer, ModelConfig config)
    {
        var arch = ArchitectureName(config.Architecture);
        writer.Set($"{arch}.vocab_size", GgufValue.UInt32((uint)config.VocabSize));
        writer.Set($"{arch}.context_length", GgufValue.UInt32((uint)config.MaxPositionEmbeddings));
        writer.Set($"{arch}.embedding_length", GgufValue.UInt32((uint)config.HiddenSize));
        writer.Set($"{arch}.block_count", GgufValue.UInt32((uint)config.NumHiddenLayers));
        writer.Set($"{arch}.feed_forward_length", GgufValue.UInt32((uint)config.IntermediateSize));
        writer.Set($"{arch}.attention.head_count", GgufValue.UInt32((uint)config.NumAttentionHeads));
        writer.Set($"{arch}.attention.head_count_kv", GgufValue.UInt32((uint)config.NumKeyValueHeads));
        writer.Set($"{arch}.attention.layer_norm_rms_epsilon", GgufValue.Float32((float)config.RmsNormEps));
        writer.Set($"{arch}.attention.key_length", GgufValue.UInt32((uint)config.HeadDim));
        writer.Set($"{arch}.attention.value_length", GgufValue.UInt32((uint)config.HeadDim));
        writer.Set($"{arch}.rope.dimension_count", GgufValue.UInt32((uint)config.HeadDim));
        writer.Set($"{arch}.rope.freq_base", GgufValue.Float32((float)config.RopeTheta));
        if (config.RopeScaling is { Type: "linear" } linear)
        {
            writer.Set($"{arch}.rope.scaling.type", GgufValue.String("linear"));
            writer.Set($"{arch}.rope.scaling.factor", GgufValue.Float32((float)linear.Factor));
        }
    }

    /// <summary>
    /// The vocabulary padded to the embedding's rows (ids no token uses read "[PAD{id}]", type unused), token types
    /// in GGUF numbering (1 normal, 3 control, 4 user-defined, 5 unused; never 6 "byte", which a gpt2 vocabulary rejects),
    /// merges as "left right", special ids, and the Jinja chat template the model was trained with.
    /// </summary>
    /// <param name="chatTemplate">The trained template's Jinja text (<c>tokenizer.chat_template</c>); null writes none.</param>
    public static void AddTokenizer(GgufWriter writer, HfTokenizer tokenizer, int vocabRows, string? chatTemplate)
    {
        if (tokenizer.VocabSize > vocabRows)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabSize} ids but the model only {vocabRows} embedding rows");
        var tokens = new string[vocabRows];
        var types = new int[vocabRows];
        for (var id = 0; id < vocabRows; id++)
        {
            tokens[id] = id < tokenizer.VocabSize ? tokenizer.TokensById[id] : $"[PAD{id}]";
            types[id] = id < tokenizer.VocabSize ? (int)tokenizer.TokenTypes[id] : (int)TokenType.Unused;
        }
        writer.Set("tokenizer.ggml.model", GgufValue.String("gpt2"));
        writer.Set("tokenizer.ggml.pre", GgufValue.String(tokenizer.PreTokenizerKind ?? "default"));
        writer.Set("tokenizer.ggml.tokens", GgufValue.Strings(tokens));
        writer.Set("tokenizer.ggml.token_type", GgufValue.Int32s(types));
        writer.Set("tokenizer.ggml.merges", GgufValue.Strings(tokenizer.Merges.Select(m => $"{m.Left} {m.Right}").ToArray()));
        if (tokenizer.BosId is int bos) writer.Set("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)bos));
        if (tokenizer.EosId is int eos) writer.Set("tokenizer.ggml.eos_token_id", GgufValue.UInt32((uint)eos));
        if (tokenizer.PadId is int pad) writer.Set("tokenizer.ggml.padding_token_id", GgufValue.UInt32((uint)pad));
        writer.Set("tokenizer.ggml.add_bos_token", GgufValue.Bool(tokenizer.AddBosToken));
        writer.Set("tokenizer.ggml.add_eos_token", GgufValue.Bool(false));
        if (chatTemplate is not null) writer.Set(ChatTemplateKey, GgufValue.String(chatTemplate));
    }
}
