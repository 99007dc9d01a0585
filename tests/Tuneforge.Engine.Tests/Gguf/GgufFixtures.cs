using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Gguf;

/// <summary>
/// Small models with the real DeepSeek-R1 vocabulary (129,280 rows, as tiny-r1), so that llama.cpp reads our
/// tokenizer metadata too; rows of 64 and 128 are whole Q8_0/Q4_0 blocks.
/// </summary>
internal static class GgufFixtures
{
    private static readonly Lazy<HfTokenizer> LazyTokenizer = new(() => HfTokenizer.Load(TokenizerLocator.Find("deepseek-r1")));

    public static HfTokenizer Tokenizer => LazyTokenizer.Value;

    public static ModelConfig Qwen2 => TinyModels.Qwen2(tied: true) with { VocabSize = 129_280, BosTokenId = 0, MaxPositionEmbeddings = 4096 };

    public static ModelConfig Llama => TinyModels.Qwen2() with
    {
        Architecture = ModelArchitecture.Llama,
        VocabSize = 129_280,
        RopeTheta = 500_000,
        RmsNormEps = 1e-5,
        MaxPositionEmbeddings = 4096,
    };

    /// <summary>Qwen3: q/k RMSNorm per head and a head_dim (24) that is not hidden / heads.</summary>
    public static ModelConfig Qwen3 => TinyModels.Qwen3() with { VocabSize = 129_280, BosTokenId = 0, MaxPositionEmbeddings = 4096 };

    /// <summary>Llama with llama3 RoPE scaling whose bands all fall inside a 16-dim head (GGUF carries it as rope_freqs.weight).</summary>
    public static ModelConfig Llama3 => Llama with { RopeScaling = TinyModels.Llama3().RopeScaling };

    /// <summary>Rows of 256 and 512, whole K-quant super-blocks, so Q4_K_M stores Q4_K and Q6_K rather than its fallbacks.</summary>
    public static ModelConfig Qwen2Wide => Qwen2 with { HiddenSize = 256, IntermediateSize = 512, HeadDim = 64 };

    /// <summary>Untied Llama with K-quant rows: an output layer (Q6_K) and a token embedding (Q4_K).</summary>
    public static ModelConfig LlamaWide => Llama with { HiddenSize = 256, IntermediateSize = 512, HeadDim = 64 };

    /// <summary>A prompt in the chat format, Chinese and English, as token ids of our tokenizer.</summary>
    public static readonly string Prompt = "<｜begin▁of▁sentence｜><｜User｜>请问发票多久能开？How long does an invoice take?<｜Assistant｜>";

    public static int[] PromptIds => Tokenizer.Encode(Prompt);

    /// <summary>Logits (positions × vocab) of one unpadded sequence, computed by the engine in float32.</summary>
    public static float[][] EngineLogits(CausalLM model, IReadOnlyList<int> ids)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray()).view(1, -1);
        var logits = model.call(new CausalLMInput(input)).Logits!.to_type(ScalarType.Float32).squeeze(0).contiguous();
        var flat = logits.data<float>().ToArray();
        var vocab = (int)logits.shape[1];
        return Enumerable.Range(0, ids.Count).Select(p => flat.AsSpan(p * vocab, vocab).ToArray()).ToArray();
    }

    /// <summary>The model exported to <paramref name="directory"/> as <paramref name="type"/>.</summary>
    public static string Export(CausalLM model, string directory, GgufFileType type)
    {
        var path = Path.Combine(directory, $"model-{GgufFileTypes.Name(type)}.gguf");
        GgufExporter.Export(model, Tokenizer, Tokenizer.ChatTemplateJinja, path, type, "tuneforge-test");
        return path;
    }
}
