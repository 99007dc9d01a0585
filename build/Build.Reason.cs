using Tuneforge.Pipeline.Model;
using Tuneforge.Targets;
using Tuneforge.Teacher.Reasoning;

partial class Build
{
    Target Reason => _ => _
        .DependsOn(Split)
        .OnlyWhenStatic(() => Spec.Reason.Enabled)
        .Description("Reasoning traces for the train split by the teacher, kept when they reach the reference answer (reason.enabled): train.jsonl, reason_report.json")
        .Cached(c => c
            .Upstream(Split)
            .Value("reason", SpecJson.Canonical(Spec.Reason))
            .Value("teacher", Stages.TeacherIdentity)
            .Salt(ReasonRun.Salt)
            .Publish(ArtifactsDirectory / "reason"))
        .Executes(async () => ReportSummary((await Stages.Reason(Output(Split), Output(Reason))).ToArray()));
}
