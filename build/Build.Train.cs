using Tuneforge.Pipeline.Model;
using Tuneforge.Protocol;
using Tuneforge.Targets;

partial class Build
{
    Target Train => _ => _
        .DependsOn(Split, Reason, Augment)
        .Description("LoRA / QLoRA / full fine-tuning on the train split (tuneforge-engine train): adapter/ or model/, trainer_state.json")
        .Cached(c => c
            .Upstream(TrainInput())
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("train", TrainKey.Canonical(Spec.Train))
            .Value("model_identity", Stages.BaseModelIdentity(TemporaryDirectory))
            .Salt(TrainStage.Salt)
            .Resumable()
            .Publish(ArtifactsDirectory / "train"))
        .Executes(async () => ReportSummary((await Stages.Train(Output(TrainInput()), Output(Train))).ToArray()));

    // The one place that decides what Train (and Inspect) read: the last of Split, Reason and Augment that is on.
    Target TrainInput() => Spec.Augment.Enabled ? Augment : AugmentInput();
}
