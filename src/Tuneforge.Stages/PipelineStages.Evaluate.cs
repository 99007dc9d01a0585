using Tuneforge.Metrics;
using Tuneforge.Metrics.Bleu;
using Tuneforge.Metrics.Evaluation;
using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Human;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Metrics.Statistics;
using Tuneforge.Protocol;
using Tuneforge.Reports;
using Tuneforge.Reports.Input;
using Tuneforge.Stages.Evaluation;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>Scores Predict's answers into metrics.json with the gates' results, and writes the report (which shows
    /// them, with Clean's expert ratings when data.reviews is set, and the judge's verdict when Judge ran). Nothing is
    /// generated here, so a changed gate or scoring setting is re-checked in about a second.</summary>
    /// <param name="judgeDirectory">Judge's output (judge.json); null when the judge is off.</param>
    /// <param name="preferenceDirectory">PreferenceTrain's output (preference_metrics.json); null when the pipeline does not preference-tune.</param>
    public StageSummary Evaluate(string predictDirectory, string trainDirectory, string cleanDirectory, string outputDirectory, string? judgeDirectory = null,
        string? preferenceDirectory = null)
    {
        var outputs = new EvaluateOutputs(outputDirectory);
        var predictions = new PredictOutputs(predictDirectory);
        var judge = judgeDirectory is null ? null : ResultOf<JudgeScores>(Path.Combine(judgeDirectory, JudgeScores.FileName), "Judge");
        var preference = preferenceDirectory is null ? null
            : ResultOf<PreferenceReport>(Path.Combine(preferenceDirectory, PreferenceTrainStage.MetricsFile), "PreferenceTrain");
        var report = UserError(() => Score(predictions, outputs, judge, preference));
        var history = UserError(() => new TrainOutputs(trainDirectory).State()?.History());
        var ratings = ExpertRatingsOf(cleanDirectory);
        ReportWriter.Write(outputDirectory, new ReportInput(report, PredictionsFile.Read(predictions.PredictionsPath), history, Ratings: ratings));
        Log.Information($"{ReportSummary.OneLine(report)}; report: {Relative(Path.Combine(ArtifactsDirectory, "evaluate", EvaluateOutputs.ReportHtmlFile))}");
        var pairs = new List<(string, string)> { ReportSummary.Pair(report) };
        if (report.Reasoning is { } reasoning) pairs.Add(reasoning.Pair());
        if (report.Judge is { WinRate: { } winRate }) pairs.Add((JudgeScores.WinRateGate, Number(winRate, "0.00")));
        if (report.Preference is { Tuned: { } tuned, Start: { } start })
            pairs.Add(("reward_accuracy", $"{Number(start.RewardAccuracy, "0.00")} -> {Number(tuned.RewardAccuracy, "0.00")}"));
        foreach (var (name, metric) in MetricCatalog.RatiosToBase)
            if (MetricCatalog.RatioToBase(report.Overall, metric) is { } ratio) pairs.Add((name, Number(ratio, "0.000")));
        if (report.Gates is { } gates) pairs.Add(("gates", gates.Passed ? $"{gates.Results.Count} passed" : $"{gates.Failures.Count()} of {gates.Results.Count} FAILED"));
        return new StageSummary(pairs);
    }

    /// <summary>Fails the build when a gate in Evaluate's metrics failed; shows the table in the log and the CI summary.</summary>
    public void CheckQualityGates(string evaluateDirectory)
    {
        var metrics = MetricsReportJson.Read(new EvaluateOutputs(evaluateDirectory).MetricsPath);
        GitHubActions.AppendSummary(EvaluationSummary.Markdown(metrics));
        if (metrics.Gates is not { } gates) return;
        var table = GateTable.Render(gates);
        Log.Information(table);
        GitHubActions.AppendSummary($"### Quality gates\n\n```\n{table}\n```\n");
        if (gates.Passed) return;
        foreach (var failure in gates.Failures)
            Log.Error($"quality gate {failure.Gate} {failure.Condition} failed: measured {failure.Measured?.ToString("0.####") ?? "nothing"}{(failure.Note is null ? "" : $" ({failure.Note})")}",
                pipelinePath, null);
        throw new BuildException($"{gates.Failures.Count()} quality gate(s) failed (table above). Improve the model or the data, or change evaluate.gates in {pipelinePath}.");
    }

    static ExpertRatings? ExpertRatingsOf(string cleanDirectory)
    {
        try
        {
            return ExpertRatingsJson.ReadIfPresent(Path.Combine(cleanDirectory, ExpertRatingsJson.FileName));
        }
        catch (InvalidDataException e)
        {
            throw new BuildException($"Clean's {e.Message}", e);
        }
    }

    // A stage's result file that Evaluate carries into metrics.json.
    static T ResultOf<T>(string path, string stage)
    {
        try
        {
            return StageResultJson.Read<T>(path, stage);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new BuildException($"{stage}'s {e.Message}", e);
        }
    }

    MetricsReport Score(PredictOutputs predictions, EvaluateOutputs outputs, JudgeScores? judge, PreferenceReport? preference)
    {
        var evaluate = Spec.Evaluate;
        var perplexity = predictions.Perplexity();
        var options = new ScoringOptions
        {
            RougeStemmer = evaluate.RougeUseStemmer,
            BleuTokenizer = BleuTokenizer.ParseOrAuto(evaluate.BleuTokenize),
            Bootstrap = new BootstrapOptions(Samples: evaluate.BootstrapSamples),
            Perplexity = perplexity is null ? null : new PerplexityValues(perplexity.Tuned, perplexity.Base, perplexity.TunedByCategory, perplexity.BaseByCategory,
                perplexity.GeneralTuned, perplexity.GeneralBase),
            Gates = evaluate.Gates.Count == 0 ? null : evaluate.Gates,
            Judge = judge,
        };
        MetricsReport report;
        try
        {
            report = Scoring.ScoreFile(predictions.PredictionsPath, options) with { Preference = preference };
        }
        catch (PredictionsFormatException e)
        {
            throw new BuildException($"Predict wrote an unreadable {Path.GetFileName(predictions.PredictionsPath)}: {e.Message}", e);
        }
        catch (GateSpecException e)
        {
            throw new BuildException($"evaluate.gates: {e.Message}", e);
        }
        MetricsReportJson.Write(outputs.MetricsPath, report);
        return report;
    }
}
