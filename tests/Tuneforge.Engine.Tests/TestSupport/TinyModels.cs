using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.TestSupport;

/// <summary>Small configurations of each architecture and weights with realistic spread, for fast tests.</summary>
public static class TinyModels
{
    public static ModelConfig Qwen2(bool tied = false) => new()
    {
        Architecture = ModelArchitecture.Qwen2,
        VocabSize = 96,
        HiddenSize = 64,
        IntermediateSize = 128,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 16,
        RmsNormEps = 1e-6,
        RopeTheta = 10_000,
        TieWordEmbeddings = tied,
        EosTokenIds = [1],
    };

    /// <summary>Qwen3 with an explicit head_dim that differs from hidden / heads, and q/k norms.</summary>
    public static ModelConfig Qwen3() => Qwen2() with
    {
        Architecture = ModelArchitecture.Qwen3,
        HeadDim = 24,
        TieWordEmbeddings = true,
        RopeTheta = 1_000_000,
    };

    /// <summary>Llama with llama3 RoPE scaling whose bands all fall inside a 16-dim head.</summary>
    public static ModelConfig Llama3() => Qwen2() with
    {
        Architecture = ModelArchitecture.Llama,
        RopeTheta = 500_000,
        RmsNormEps = 1e-5,
        RopeScaling = new RopeScaling("llama3", Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositionEmbeddings: 64),
    };

    /// <summary>
    /// Seeded weights large enough that logits spread over several units (HF's 0.02 init makes them nearly flat,
    /// which would let a wrong forward pass agree to 1e-4), with norm weights near 1 and non-zero biases.
    /// </summary>
    public static CausalLM Random(ModelConfig config, long seed, ScalarType dtype = ScalarType.Float32)
    {
        var model = new CausalLM(config, CPU, dtype);
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            var values = normal(0, 1, parameter.shape, generator: generator);
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) values = 1 + 0.1 * values;
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) values = 0.1 * values;
            else values = values / Math.Sqrt(parameter.shape[^1]) * 1.5;
            parameter.copy_(values);
        }
        model.eval();
        return model;
    }
}
