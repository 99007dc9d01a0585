using Tuneforge.Pipeline.Model;
using Tuneforge.Targets;
using Tuneforge.Teacher.Judging;

partial class Build
{
    Target Judge => _ => _
        .DependsOn(Predict)
        .OnlyWhenStatic(() => Spec.Judge.Enabled)
        .Description("An LLM judge compares the tuned and the base answers of the test split, both orders (judge.enabled): judge.json, judgments.jsonl")
        .Cached(c => c
            .Upstream(Predict)
            .Value("judge", SpecJson.Canonical(Spec.Judge))
            .Value("judge_identity", Stages.JudgeIdentity)
            .Value("bootstrap_samples", Spec.Evaluate.BootstrapSamples.ToString())
            .Salt(JudgeRun.Salt)
            .Publish(ArtifactsDirectory / "judge"))
        .Executes(async () => ReportSummary((await Stages.Judge(Output(Predict), Output(Judge))).ToArray()));

    // What Evaluate reads beside Predict: the judge's result when it runs.
    Target[] JudgeInput() => Spec.Judge.Enabled ? [Judge] : [];
}
