using Tuneforge.Pipeline.Model;
using Tuneforge.Protocol;
using Tuneforge.Targets;

partial class Build
{
    Target Train => _ => _
        .DependsOn(Split)
        .Description("LoRA / QLoRA / full fine-tuning on the train split (tuneforge-engine train): adapter/ or model/, trainer_state.json")
        .Cached(c => c
            .Upstream(Split)
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("train", SpecJson.Canonical(Spec.Train))
            .Value("model_identity", Stages.BaseModelIdentity(TemporaryDirectory))
            .Salt(TrainStage.Salt)
            .Resumable()
            .Publish(ArtifactsDirectory / "train"))
        .Executes(async () => ReportSummary((await Stages.Train(Output(Split), Output(Train))).ToArray()));
}
