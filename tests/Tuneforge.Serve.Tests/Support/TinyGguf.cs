using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Models;
using Tuneforge.Text;

namespace Tuneforge.Serve.Tests.Support;

/// <summary>
/// A tiny Qwen2-shaped GGUF file with DeepSeek-R1's real vocabulary and seeded random weights, written with the engine's
/// GGUF writer (pure C#: no libtorch in this test project), for llama.cpp to serve. Its tokenizer.chat_template is the
/// DeepSeek tokenizer's own unless another (or none) is given.
/// </summary>
public sealed class TinyGguf : IDisposable
{
    private readonly TempFolder _folder = new();

    public TinyGguf() : this(useTokenizerTemplate: true, chatTemplate: null)
    {
    }

    /// <summary>The same file carrying <paramref name="chatTemplate"/> as tokenizer.chat_template (null: none).</summary>
    public static TinyGguf WithTemplate(string? chatTemplate) => new(useTokenizerTemplate: false, chatTemplate);

    private TinyGguf(bool useTokenizerTemplate, string? chatTemplate)
    {
        Tokenizer = HfTokenizer.Load(RepositoryFiles.Tokenizer("deepseek-r1"));
        Config = new ModelConfig
        {
            Architecture = ModelArchitecture.Qwen2,
            VocabSize = 129_280,
            HiddenSize = 64,
            IntermediateSize = 128,
            NumHiddenLayers = 2,
            NumAttentionHeads = 2,
            NumKeyValueHeads = 1,
            HeadDim = 32,
            TieWordEmbeddings = true,
            MaxPositionEmbeddings = 1024,
            BosTokenId = 0,
            EosTokenIds = [1],
        };
        Path = _folder.File("tiny-r1.gguf");
        var writer = new GgufWriter();
        GgufModelMetadata.AddGeneral(writer, Config, "tiny-r1-test", GgufFileType.F32);
        GgufModelMetadata.AddArchitecture(writer, Config);
        GgufModelMetadata.AddTokenizer(writer, Tokenizer, Config.VocabSize, useTokenizerTemplate ? Tokenizer.ChatTemplateJinja : chatTemplate);
        var random = new Random(1234);
        foreach (var (name, shape) in Tensors(Config))
        {
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            var isNorm = name.EndsWith("norm.weight", StringComparison.Ordinal);
            for (var i = 0; i < count; i++) values[i] = isNorm ? 1f : (float)((random.NextDouble() * 2 - 1) * 0.08);
            writer.AddTensor(GgufTensorNames.ToGguf(name), shape.Reverse().ToArray(), GgmlType.F32, () => GgmlBlocks.Encode(values, GgmlType.F32));
        }
        writer.Write(Path);
    }

    public string Path { get; }
    public ModelConfig Config { get; }
    public HfTokenizer Tokenizer { get; }

    // Hugging Face names and [out, in] shapes of a tied Qwen2 model.
    private static IEnumerable<(string Name, long[] Shape)> Tensors(ModelConfig c)
    {
        long hidden = c.HiddenSize, q = c.NumAttentionHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim, ffn = c.IntermediateSize;
        yield return ("model.embed_tokens.weight", [c.VocabSize, hidden]);
        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            var p = $"model.layers.{i}.";
            yield return (p + "input_layernorm.weight", [hidden]);
            yield return (p + "self_attn.q_proj.weight", [q, hidden]);
            yield return (p + "self_attn.q_proj.bias", [q]);
            yield return (p + "self_attn.k_proj.weight", [kv, hidden]);
            yield return (p + "self_attn.k_proj.bias", [kv]);
            yield return (p + "self_attn.v_proj.weight", [kv, hidden]);
            yield return (p + "self_attn.v_proj.bias", [kv]);
            yield return (p + "self_attn.o_proj.weight", [hidden, q]);
            yield return (p + "post_attention_layernorm.weight", [hidden]);
            yield return (p + "mlp.gate_proj.weight", [ffn, hidden]);
            yield return (p + "mlp.up_proj.weight", [ffn, hidden]);
            yield return (p + "mlp.down_proj.weight", [hidden, ffn]);
        }
        yield return ("model.norm.weight", [hidden]);
    }

    public void Dispose() => _folder.Dispose();
}
