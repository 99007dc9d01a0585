using Tuneforge.Teacher.Augmentation;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    public Task<StageSummary> Augment(string splitDirectory, string outputDirectory) => WithTeacher(async teacher =>
    {
        var (report, elapsed) = await AugmentRun.RunAsync(Spec.Augment, Spec.Clean.NearDedupe, teacher, splitDirectory, outputDirectory, cancellation);
        Targets.Log.Information($"Augment: {report.Kept} of {report.Asked} paraphrases kept ({report.DroppedDuplicates} near duplicates, " +
            $"{report.DroppedLeaks} too close to a val/test question, {report.DroppedEmpty} empty; {report.TokensSpent} tokens) in {elapsed.TotalSeconds:0.0} s");
        if (report.Asked > 0 && report.DroppedEmpty == report.Asked)
            Targets.Log.Warning($"Augment: every paraphrase was empty: the teacher wrote nothing after its reasoning. Raise teacher.max_tokens ({Spec.Teacher.MaxTokens}) so it can close </think>, or use a teacher that answers.");
        return StageSummary.Of(
            ("paraphrases", $"{report.Kept}/{report.Asked}"),
            ("leaks_dropped", report.DroppedLeaks.ToString()),
            ("tokens", report.TokensSpent.ToString()),
            ("records_per_s", Number(elapsed.TotalSeconds > 0 ? report.Records / elapsed.TotalSeconds : null, "0.00")));
    });
}
