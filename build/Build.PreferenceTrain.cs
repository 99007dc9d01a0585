using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;
using Tuneforge.Targets;

partial class Build
{
    Target PreferenceTrain => _ => _
        .DependsOn(Train)
        .OnlyWhenStatic(() => Spec.Preference.Enabled)
        .Description("DPO / ORPO / SimPO / KTO on the train split's preference pairs, from Train's adapter or the base (preference.method): adapter/, preference_metrics.json")
        .Cached(c => c
            .Upstream(PreferenceStart())
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("train", TrainKey.Canonical(Spec.Train))
            .Value("preference", SpecJson.Canonical(Spec.Preference))
            .Value("model_identity", Stages.BaseModelIdentity(TemporaryDirectory))
            .Salt(PreferenceTrainStage.Salt)
            .Publish(ArtifactsDirectory / "preference"))
        .Executes(async () => ReportSummary((await Stages.PreferenceTrain(Output(TrainInput()), Output(Train), Output(PreferenceTrain))).ToArray()));

    // What preference training starts from: the train split, and Train's adapter with start_from: sft.
    Target[] PreferenceStart() => Spec.Preference.StartFrom == Tuneforge.Pipeline.Spec.PreferenceStart.Sft ? [TrainInput(), Train] : [TrainInput()];

    // What Evaluate reads of PreferenceTrain beside the answers: preference_metrics.json, when it runs.
    Target[] PreferenceInput() => Spec.Preference.Enabled ? [PreferenceTrain] : [];

    // The one place that decides which trained weights Predict, Quantize, Serve and Package read.
    Target Tuned() => Spec.Preference.Enabled ? PreferenceTrain : Train;
}
