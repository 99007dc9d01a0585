using Snapshooter.Xunit;
using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

/// <summary>The full-size distills built on the meta device (no memory): every name and shape a checkpoint must match.</summary>
public sealed class RealModelShapeTests
{
    [Fact]
    public void DeepSeek_R1_Distill_Qwen_7B_has_the_published_parameter_names_and_shapes()
    {
        using var model = new CausalLM(ModelConfig.Parse(RealConfigs.DeepSeekR1DistillQwen7B, "qwen7b.json"), META, ScalarType.BFloat16);
        Assert.Equal(7_615_616_512, model.ParameterCount());
        Snapshot.Match(Describe(model));
    }

    [Fact]
    public void DeepSeek_R1_Distill_Llama_8B_has_the_published_parameter_names_and_shapes()
    {
        using var model = new CausalLM(ModelConfig.Parse(RealConfigs.DeepSeekR1DistillLlama8B, "llama8b.json"), META, ScalarType.BFloat16);
        Assert.Equal(8_030_261_248, model.ParameterCount());
        Snapshot.Match(Describe(model));
    }

    private static List<string> Describe(CausalLM model) =>
        model.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]").ToList();
}
