using Tuneforge.Metrics.Statistics;
using Tuneforge.Protocol;
using Tuneforge.Teacher.Judging;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>The judge compares Predict's tuned and base answers, in both orders: judge.json, judgments.jsonl.</summary>
    public Task<StageSummary> Judge(string predictDirectory, string outputDirectory) => WithTeacher(JudgeTeacher, JudgeTeacherPath, async judge =>
    {
        var outcome = await JudgeRun.RunAsync(Spec.Judge, judge, JudgeName, new PredictOutputs(predictDirectory).PredictionsPath, outputDirectory,
            new BootstrapOptions(Samples: Spec.Evaluate.BootstrapSamples), cancellation);
        var scores = outcome.Scores;
        Targets.Log.Information($"Judge ({JudgeName}): {scores.Judged} of {scores.Questions} questions judged in both orders ({outcome.Asked} asked, " +
            $"{outcome.FromCache} from the teacher cache, {outcome.TokensSpent} tokens) in {outcome.Elapsed.TotalSeconds:0.0} s; " +
            $"tuned {scores.Wins} won, {scores.Ties} tied, {scores.Losses} lost");
        if (scores.Unreadable > 0)
            Targets.Log.Warning($"Judge: {scores.Unreadable} of {scores.Questions} questions got a verdict without [[A]], [[B]] or [[C]] in at least one order; " +
                $"they are left out of the win rate (their text is in {Relative(Path.Combine(ArtifactsDirectory, "judge", JudgeRun.JudgmentsFile))}).");
        return StageSummary.Of(
            ("win_rate", scores.WinRate is { } rate ? $"{Number(rate, "0.00")} [{Number(scores.WinRateInterval![0], "0.00")}, {Number(scores.WinRateInterval[1], "0.00")}]" : "n/a"),
            ("judged", $"{scores.Judged}/{scores.Questions}"),
            ("consistency", Number(scores.PositionConsistency, "0.00")),
            ("tokens", outcome.TokensSpent.ToString()));
    });

    // The judge in words for reports: its model and where it is served, or the pipeline's own model.
    string JudgeName => JudgeTeacher.IsLocal ? $"{Spec.Model.Source}, served locally" : $"{JudgeTeacher.Model} at {JudgeTeacher.BaseUrl}";
}
