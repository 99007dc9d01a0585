using Tuneforge.Teacher.Reasoning;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    public Task<StageSummary> Reason(string splitDirectory, string outputDirectory) => WithTeacher(async teacher =>
    {
        var (report, elapsed) = await ReasonRun.RunAsync(Spec.Reason, teacher, splitDirectory, outputDirectory, cancellation);
        int asked = report.Records - report.HadReasoning;
        Targets.Log.Information($"Reason: {report.Accepted} of {asked} records got an accepted trace ({report.Samples} samples, " +
            $"{report.FromCache} from the teacher cache, {report.TokensSpent} tokens) in {elapsed.TotalSeconds:0.0} s");
        return StageSummary.Of(
            ("accepted", $"{report.Accepted}/{asked}"),
            ("rate", Number(report.AcceptanceRate, "0.00")),
            ("tokens", report.TokensSpent.ToString()),
            ("records_per_s", Number(elapsed.TotalSeconds > 0 ? asked / elapsed.TotalSeconds : null, "0.00")));
    });
}
