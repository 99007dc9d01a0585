using Tuneforge.Pipeline.Model;
using Tuneforge.Protocol;
using Tuneforge.Targets;

partial class Build
{
    Target Predict => _ => _
        .DependsOn(Train, PreferenceTrain)
        .Description("The tuned (and base) model answers the test split (tuneforge-engine predict): predictions.jsonl, perplexity.json")
        .Cached(c => c
            .Upstream(Tuned(), Split)
            .Files(Stages.ForgettingTexts)
            .Value("evaluate", SpecJson.Canonical(PredictStage.Settings(Spec.Evaluate)))
            .Salt(PredictStage.Salt)
            .Publish(ArtifactsDirectory / "predict"))
        .Executes(async () => ReportSummary((await Stages.Predict(Output(Split), Output(Tuned()), Output(Predict))).ToArray()));

    Target Evaluate => _ => _
        .DependsOn(Predict, Judge)
        .Description("Scores Predict's answers: ROUGE/BLEU/chrF/perplexity, base vs tuned, quality gates; metrics.json, report.html; a failed gate fails the build")
        .Produces("artifacts/*/evaluate/report.html", "artifacts/*/evaluate/report.md", "artifacts/*/evaluate/metrics.json", "artifacts/*/predict/predictions.jsonl")
        .Cached(c => c
            .Upstream(Predict, Train, Clean)   // Clean: the expert ratings of data.reviews the report shows
            .Upstream(JudgeInput()).Upstream(PreferenceInput())
            .Value("evaluate", SpecJson.Canonical(Spec.Evaluate))
            .Salt(EvaluateStage.Salt)
            .Publish(ArtifactsDirectory / "evaluate"))
        .Executes(() => ReportSummary(Stages.Evaluate(Output(Predict), Output(Train), Output(Clean), Output(Evaluate),
            Spec.Judge.Enabled ? (string)Output(Judge) : null, Spec.Preference.Enabled ? (string)Output(PreferenceTrain) : null).ToArray()))
        .Checks(() => Stages.CheckQualityGates(Output(Evaluate)));
}
