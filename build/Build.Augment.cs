using Tuneforge.Pipeline.Model;
using Tuneforge.Targets;
using Tuneforge.Teacher.Augmentation;

partial class Build
{
    Target Augment => _ => _
        .DependsOn(Split, Reason)
        .OnlyWhenStatic(() => Spec.Augment.Enabled)
        .Description("Paraphrases of the train questions by the teacher, answers kept, near duplicates and val/test lookalikes dropped (augment.enabled): train.jsonl, augment_report.json")
        .Cached(c => c
            .Upstream(AugmentInput())
            .Value("augment", SpecJson.Canonical(Spec.Augment))
            .Value("near_dedupe", SpecJson.Canonical(Spec.Clean.NearDedupe))
            .Value("teacher", Stages.TeacherIdentity)
            .Salt(AugmentRun.Salt)
            .Publish(ArtifactsDirectory / "augment"))
        .Executes(async () => ReportSummary((await Stages.Augment(Output(AugmentInput()), Output(Augment))).ToArray()));

    Target AugmentInput() => Spec.Reason.Enabled ? Reason : Split;
}
