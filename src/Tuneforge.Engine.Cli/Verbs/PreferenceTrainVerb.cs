using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Training.Preference;
using Tuneforge.Files;
using Tuneforge.Metrics.Evaluation;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Metrics.Statistics;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>preference-train --job job.json --out DIR</c>: DPO, ORPO, SimPO or KTO from the PreferenceTrain stage's job
/// (<see cref="PreferenceTrainStage"/>): adapter/ as Train writes it, and preference_metrics.json, the val pairs'
/// reward accuracy and margin after training against the starting adapter, with bootstrap intervals.
/// </summary>
public sealed class PreferenceTrainVerb : IVerb
{
    public string Name => PreferenceTrainStage.Verb;
    public string Summary => "preference-tune a LoRA adapter (dpo, orpo, simpo, kto) from an engine job: adapter/, preference_metrics.json";
    public IReadOnlyList<OptionSpec> Options { get; } = [];
    public bool ReadsEngineJob => true;

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var job = JobFile.Read(arguments.RequiredText("job", "the engine job: model, train and preference sections and the split files"), Name);
        var output = Path.GetFullPath(arguments.RequiredText("out", "the folder for adapter/ and preference_metrics.json"));
        var outcome = await PreferenceTrainingRun.RunAsync(job, output, events.Write, cancellation);
        var metrics = Path.Combine(output, PreferenceTrainStage.MetricsFile);
        StageResultJson.Write(metrics, Metrics(outcome));
        events.Write(new ArtifactEvent(metrics, "preference_metrics", new FileInfo(metrics).Length));
        events.Write(StageResult.ToEvent(Name, outcome.Result));
        return 0;
    }

    // "tuned" is the adapter written, "start" the one training began from (Train's, or a fresh one that equals the base).
    static PreferenceReport Metrics(PreferenceTrainingRun.Outcome outcome) => PreferenceReport.Of(outcome.Result.Method, outcome.Result.StartFrom,
        outcome.MarginsAfter.Count == 0 ? null : PreferenceMetrics.Compare(outcome.MarginsAfter, outcome.MarginsBefore, new BootstrapOptions()));
}
