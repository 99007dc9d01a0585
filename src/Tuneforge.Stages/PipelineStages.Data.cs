using Tuneforge.Data;
using Tuneforge.Data.Cleaning;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>The data files Clean reads (content-hashed into its key).</summary>
    public IReadOnlyList<string> DataFiles => UserError(() => DataStages.SourceFiles(Spec.Data, rootDirectory));

    /// <summary>The tokenizer Clean's token filters count with, or null when none is needed.</summary>
    public string? CleanTokenizer => UserError(() => TokenizerFolder.Resolve(Spec.Clean, Spec.Model, rootDirectory));

    public StageSummary Clean(string outputDirectory)
    {
        var result = UserError(() => DataStages.Clean(new CleanRequest(Spec.Data, Spec.Clean, rootDirectory, outputDirectory, CleanTokenizer), cancellation));
        var stats = result.Stats;
        Log.Information($"Kept {stats.Kept} of {stats.Input} records; {string.Join(", ", stats.RejectedByReason.Select(r => $"{r.Reason}: {r.Count}"))}");
        Log.Information($"What was dropped and why: {Relative(Path.Combine(ArtifactsDirectory, "clean", "summary.md"))}");
        return StageSummary.Of(("kept", stats.Kept.ToString()), ("rejected", stats.Rejected.ToString()));
    }

    public StageSummary Split(string cleanDirectory, string outputDirectory)
    {
        var result = UserError(() => DataStages.Split(Spec.Split, Spec.Data, Path.Combine(cleanDirectory, DataStages.CleanFile), outputDirectory, cancellation));
        return new StageSummary(result.SummaryPairs());
    }

    /// <summary>Where the current result of each stage is shown: artifacts/&lt;pipeline&gt;/.</summary>
    public string ArtifactsDirectory => Path.Combine(rootDirectory, "artifacts", Spec.Name);
}
