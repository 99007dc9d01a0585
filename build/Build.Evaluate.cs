using Tuneforge.Data;
using Tuneforge.Metrics.Gates;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Protocol;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Stages.Engine;
using Tuneforge.Stages.Evaluation;
using Tuneforge.Targets;

partial class Build
{
    Target Evaluate => _ => _
        .DependsOn(Train)
        .Description("The tuned (and base) model answers the test split; ROUGE/BLEU/chrF/perplexity, report.html; quality gates fail the build")
        .Produces("artifacts/*/evaluate/report.html", "artifacts/*/evaluate/report.md", "artifacts/*/evaluate/metrics.json", "artifacts/*/evaluate/predictions.jsonl")
        .Cached(c => c
            .Upstream(Train, Split)
            .Value("evaluate", SpecJson.Canonical(EvaluateSettings))
            .Salt(EngineVersions.Evaluate)
            .Publish(ArtifactsDirectory / "evaluate"))
        .Executes(async () =>
        {
            var job = new EngineJob
            {
                Verb = "evaluate",
                Model = Spec.Model,
                Evaluate = EvaluateSettings,
                Inputs =
                {
                    ["test"] = Output(Split) / DataStages.TestFile,
                    ["train_output"] = Output(Train),
                },
                RepositoryRoot = RootDirectory,
            };
            var run = await new EngineClient(RootDirectory).RunAsync(job, Output(Evaluate), cancellation: Cancellation);
            var report = EvaluationScoring.Score(Output(Evaluate), EvaluateSettings, Output(Train));
            var summary = Tuneforge.Reports.ReportSummary.OneLine(report);
            Log.Information($"{summary}; report: {(ArtifactsDirectory / "evaluate" / "report.html").RelativeTo(RootDirectory)}");
            var tokensPerSecond = run.Result?.Data["tokens_per_s"]?.ToString();
            ReportSummary(SummaryPairs(summary, tokensPerSecond));
        })
        .Checks(CheckQualityGates);

    // Gates are left out of the cached result: changing one re-checks the stored metrics without generating again.
    EvaluateSpec EvaluateSettings => Spec.Evaluate with { Gates = [] };

    void CheckQualityGates()
    {
        GitHubActions.AppendSummary(EvaluationSummary.Markdown(Output(Evaluate) / EvaluationScoring.MetricsFile));
        if (Spec.Evaluate.Gates.Count == 0) return;
        var gates = EvaluationScoring.CheckGates(Output(Evaluate) / EvaluationScoring.MetricsFile, Spec.Evaluate.Gates);
        var table = GateTable.Render(gates);
        Log.Information(table);
        GitHubActions.AppendSummary($"### Quality gates\n\n```\n{table}\n```\n");
        if (gates.Passed) return;
        foreach (var failure in gates.Failures)
            Log.Error($"quality gate {failure.Gate} {failure.Condition} failed: measured {failure.Measured?.ToString("0.####") ?? "nothing"}{(failure.Note is null ? "" : $" ({failure.Note})")}",
                PipelinePath.RelativeTo(RootDirectory), null);
        throw new BuildException($"{gates.Failures.Count()} quality gate(s) failed (table above). Improve the model or the data, or change evaluate.gates in {PipelinePath.RelativeTo(RootDirectory)}.");
    }

    static (string, string)[] SummaryPairs(string oneLine, string? tokensPerSecond)
    {
        // "rougeL: 0.41 (+0.33 vs base)" becomes the pair rougeL -> "0.41 (+0.33 vs base)".
        var colon = oneLine.IndexOf(':');
        var pairs = new List<(string, string)> { colon > 0 ? (oneLine[..colon], oneLine[(colon + 1)..].Trim()) : ("result", oneLine) };
        if (tokensPerSecond is not null) pairs.Add(("gen tokens/s", tokensPerSecond));
        return [.. pairs];
    }
}
