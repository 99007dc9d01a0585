using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Protocol;

/// <summary>
/// The PreferenceTrain stage (<c>tuneforge-engine preference-train</c>): DPO, ORPO, SimPO or KTO on the train split's
/// preference records (pairs, or KTO labels), on a LoRA adapter that starts from Train's (<c>start_from: sft</c>) or
/// fresh on the base; the reference model is the base with the adapter off. It writes what Train writes (adapter/),
/// so every later stage reads it through <see cref="TrainOutputs"/>, plus preference_metrics.json: reward accuracy and
/// margin on the val split's pairs before and after.
/// </summary>
public static class PreferenceTrainStage
{
    public const string Verb = "preference-train";

    /// <summary>Version of the preference training code; bump when its outputs would change.</summary>
    public const string Salt = "tuneforge-preference/1";

    /// <summary>Train's output folder, the adapter to start from (start_from: sft).</summary>
    public const string SftInput = "sft";

    public const string MetricsFile = "preference_metrics.json";

    public static EngineJob Job(ModelSpec model, TrainSpec train, PreferenceSpec preference, string trainFile, string? valFile, TrainOutputs? sft,
        string repositoryRoot)
    {
        var inputs = new Dictionary<string, string> { [TrainStage.TrainInput] = trainFile };
        if (valFile is not null) inputs[TrainStage.ValInput] = valFile;
        if (sft is not null) inputs[SftInput] = sft.Directory;
        return new EngineJob
        {
            Verb = Verb,
            Model = model,
            Train = train,
            Preference = preference,
            Inputs = inputs,
            RepositoryRoot = repositoryRoot,
        };
    }
}

/// <summary>The preference-train verb's result event.</summary>
/// <param name="ValAccuracyBefore">Reward accuracy on the val pairs of the starting adapter (Train's, or a fresh one: 0).</param>
public sealed record PreferenceTrainResult
{
    public required string Method { get; init; }
    public required string StartFrom { get; init; }
    public int Steps { get; init; }
    public int TrainPairs { get; init; }
    public int TrainLabelled { get; init; }
    public int ValPairs { get; init; }
    public double? Loss { get; init; }
    public double? ValAccuracyBefore { get; init; }
    public double? ValAccuracyAfter { get; init; }
    public double? ValMarginBefore { get; init; }
    public double? ValMarginAfter { get; init; }
    public double Seconds { get; init; }
    public double? StepsPerS { get; init; }
    public long? PeakRssBytes { get; init; }
}
