using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

public sealed class PrecisionTests
{
    /// <summary>
    /// bfloat16 keeps 8 significant bits: each rounding (weights, then activations after every op) has relative error
    /// ≤ 2⁻⁹ ≈ 0.2%. Through 2 layers of ~10 rounded ops the errors add roughly as a random walk to a few tenths of a
    /// percent of the activations' scale, so the logits may move by ~1-2% of their range; 5% leaves room, while a
    /// wrong conversion (bytes misread, dtype ignored) moves them by far more than the range itself.
    /// </summary>
    [Fact]
    public void Bfloat16_logits_stay_within_5_percent_of_the_float32_range()
    {
        using var directory = new TempDirectory();
        using (var original = TinyModels.Random(TinyModels.Qwen2(), seed: 7)) PretrainedModel.Save(original, directory.Path);

        using var full = PretrainedModel.Load(directory.Path, ComputeOptions.Cpu(ScalarType.Float32));
        using var half = PretrainedModel.Load(directory.Path, ComputeOptions.Cpu(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, half.HeadWeight.dtype);

        var reference = ReferenceNumericsTests.EngineLogits(full);
        var reduced = ReferenceNumericsTests.EngineLogits(half);
        var range = reference.Max() - reference.Min();
        var worst = reference.Zip(reduced, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 0.05 * range, $"max |bf16 - f32| = {worst:F4}, logit range {range:F2}");
        Assert.True(worst > 0, "bf16 logits are bit-identical to f32: the dtype was not applied");
    }
}
