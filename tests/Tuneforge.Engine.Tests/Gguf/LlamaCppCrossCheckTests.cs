using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Tests.TestSupport;
using Xunit.Abstractions;

namespace Tuneforge.Engine.Tests.Gguf;

/// <summary>
/// llama.cpp (LLamaSharp 0.30.0) loads our GGUF files and its logits are compared with the engine's on the same ids.
/// </summary>
public sealed class LlamaCppCrossCheckTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("qwen2", GgufFileType.F32)]
    [InlineData("llama", GgufFileType.F32)]
    [InlineData("llama3", GgufFileType.F32)]
    [InlineData("qwen3", GgufFileType.F32)]
    [InlineData("qwen3", GgufFileType.Q8_0)]
    [InlineData("qwen2", GgufFileType.F16)]
    [InlineData("llama", GgufFileType.F16)]
    [InlineData("qwen2", GgufFileType.BF16)]
    [InlineData("qwen2", GgufFileType.Q8_0)]
    [InlineData("llama", GgufFileType.Q8_0)]
    [InlineData("qwen2", GgufFileType.Q4_0)]
    [InlineData("llama", GgufFileType.Q4_0)]
    [InlineData("qwen2-wide", GgufFileType.Q4_K_M)]
    [InlineData("llama-wide", GgufFileType.Q4_K_M)]
    [InlineData("qwen2", GgufFileType.Q4_K_M)]
    public void Llama_cpp_logits_match_the_engine(string architecture, GgufFileType type)
    {
        var config = architecture switch { "qwen2-wide" => GgufFixtures.Qwen2Wide, "llama-wide" => GgufFixtures.LlamaWide, "llama" => GgufFixtures.Llama, "llama3" => GgufFixtures.Llama3, "qwen3" => GgufFixtures.Qwen3, _ => GgufFixtures.Qwen2 };
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(config, seed: 11);
        var ids = GgufFixtures.PromptIds;
        var path = GgufFixtures.Export(model, directory.Path, type);

        // The engine computes with exactly the weights the file holds (dequantized as llama.cpp does).
        using var fromFile = new CausalLM(config, TorchSharp.torch.CPU, TorchSharp.torch.ScalarType.Float32);
        GgufWeights.Load(fromFile, GgufFile.Read(path));
        var engine = GgufFixtures.EngineLogits(fromFile, ids);
        var original = GgufFixtures.EngineLogits(model, ids);
        var llama = LlamaCpp.Logits(path, ids);

        var againstFile = Compare(engine, llama);
        var againstOriginal = Compare(original, llama);
        output.WriteLine($"{architecture} {type}: vs file weights max {againstFile.MaxAbs:E2} (rel {againstFile.Relative:E2}), top-1 {againstFile.Top1:P0}; " +
                         $"vs unquantized max {againstOriginal.MaxAbs:E2} (rel {againstOriginal.Relative:E2}), top-1 {againstOriginal.Top1:P0}; spread {againstFile.Spread:F2}");
        Assert.True(againstFile.Spread > 2, "logits too flat to compare");
        var (bound, top1) = Bounds[type];
        Assert.True(againstFile.Relative < bound, $"max |llama.cpp − engine| / max |logit| = {againstFile.Relative:E2} ≥ {bound:E1}");
        Assert.True(againstFile.Top1 >= top1, $"same top-1 token on {againstFile.Top1:P0} of positions (< {top1:P0})");
        if (type is GgufFileType.Q4_0 or GgufFileType.Q4_K_M)
        {
            // llama.cpp computes what the blocks say, not merely something near the model: a misread block layout
            // would be as far from the file's weights as from the unquantized ones.
            Assert.True(againstFile.Relative < againstOriginal.Relative / 4,
                $"llama.cpp is as close to the unquantized model ({againstOriginal.Relative:E2}) as to the file's weights ({againstFile.Relative:E2})");
        }
    }

    [Fact]
    public void Llama_cpp_tokenizes_like_our_tokenizer_from_the_gguf_metadata()
    {
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(GgufFixtures.Qwen2, seed: 5);
        var path = GgufFixtures.Export(model, directory.Path, GgufFileType.Q8_0);
        foreach (var text in new[] { GgufFixtures.Prompt, "退款多久到账？The refund takes 3-5 days. 谢谢！😀\n  code: x = f(42)" })
            Assert.Equal(GgufFixtures.Tokenizer.Encode(text), LlamaCpp.Tokenize(path, text));
    }

    // Max |difference| relative to the largest logit, on random weights whose logits spread over ~8 units (these
    // amplify errors more than trained ones). Measured here: F32 1.2e-6 (only summation order differs); F16 1.5e-3
    // and BF16: ggml rounds the activations to the weights' 16-bit type before each product; Q8_0 3-5e-2 and Q4_0
    // 3e-2: ggml quantizes the activations to 8-bit blocks (step ≤ 1/127 of each block's largest value) before the
    // integer dot product, which the engine does not; the weights are identical. Q4_K_M 3.2-5.4e-2: Q4_K and Q6_K dot
    // products quantize activations per 256 values (Q8_K), coarser than per 32. Bounds leave ~1.5-1.7× margin.
    private static readonly Dictionary<GgufFileType, (double Relative, double Top1)> Bounds = new()
    {
        [GgufFileType.F32] = (1e-4, 1.0),
        [GgufFileType.F16] = (5e-3, 0.9),
        [GgufFileType.BF16] = (3e-2, 0.85),
        [GgufFileType.Q8_0] = (8e-2, 0.8),
        [GgufFileType.Q4_0] = (8e-2, 0.8),
        [GgufFileType.Q4_K_M] = (8e-2, 0.8),
    };

    internal sealed record Comparison(double MaxAbs, double Spread, double Top1)
    {
        public double Relative => MaxAbs / Spread;
    }

    internal static Comparison Compare(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0, spread = 0;
        var sameTop = 0;
        for (var p = 0; p < expected.Length; p++)
        {
            Assert.Equal(expected[p].Length, actual[p].Length);
            for (var v = 0; v < expected[p].Length; v++)
            {
                worst = Math.Max(worst, Math.Abs(expected[p][v] - actual[p][v]));
                spread = Math.Max(spread, Math.Abs(expected[p][v]));
            }
            if (ArgMax(expected[p]) == ArgMax(actual[p])) sameTop++;
        }
        return new Comparison(worst, spread, (double)sameTop / expected.Length);
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
