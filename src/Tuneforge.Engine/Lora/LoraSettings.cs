using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Lora;

/// <summary>PEFT's LoraConfig for a causal LM: rank, alpha, dropout, the projections that get adapters, rsLoRA.</summary>
/// <param name="TargetModules">Resolved projection names (never "all-linear"), sorted.</param>
/// <param name="ModulesToSave">Normalization layers trained whole beside the adapters (<see cref="SavedModules"/>), sorted.</param>
public sealed record LoraSettings(int Rank, double Alpha, double Dropout, IReadOnlyList<string> TargetModules, bool UseRslora, IReadOnlyList<string>? ModulesToSave = null)
{
    public IReadOnlyList<string> ModulesToSave { get; init; } = ModulesToSave ?? [];

    /// <summary>alpha / r, or alpha / sqrt(r) with rsLoRA (PEFT's <c>scaling</c>).</summary>
    public double Scaling => UseRslora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    public static LoraSettings From(LoraSpec spec)
    {
        if (spec.Bias != "none")
            throw new ArgumentException($"train.lora.bias: '{spec.Bias}' is not supported; only none (biases stay frozen, as in most PEFT recipes)");
        if (spec.R <= 0) throw new ArgumentException($"train.lora.r: {spec.R} must be positive");
        if (spec.LoraDropout is < 0 or >= 1) throw new ArgumentException($"train.lora.lora_dropout: {spec.LoraDropout} must be in [0, 1)");
        return new LoraSettings(spec.R, spec.LoraAlpha, spec.LoraDropout, LoraTargets.Resolve(spec.TargetModules), spec.UseRslora,
            SavedModules.Resolve(spec.ModulesToSave));
    }

    /// <summary>The value settings equal when both resolve to the same adapter layout and math.</summary>
    public bool SameAs(LoraSettings other) =>
        Rank == other.Rank && Alpha.Equals(other.Alpha) && Dropout.Equals(other.Dropout) && UseRslora == other.UseRslora
        && TargetModules.SequenceEqual(other.TargetModules) && ModulesToSave.SequenceEqual(other.ModulesToSave);
}
