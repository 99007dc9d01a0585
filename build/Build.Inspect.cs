using Tuneforge.Data;
using Tuneforge.Pipeline.Model;
using Tuneforge.Targets;

partial class Build
{
    Target Inspect => _ => _
        .DependsOn(Split, Reason, Augment)
        .Description("The first train examples token by token as Train encodes them (trained tokens marked, special tokens shown, truncation marked): inspect.html, inspect.txt")
        .Cached(c => c
            .Upstream(TrainInput())
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("inspect", SpecJson.Canonical(Spec.Inspect))
            .Value("max_seq_length", Spec.Train.MaxSeqLength.ToString())
            .Directory(Stages.InspectTokenizer)
            .Salt(DataVersion.Inspect)
            .Publish(ArtifactsDirectory / "inspect"))
        .Executes(() => ReportSummary(Stages.Inspect(Output(TrainInput()), Output(Inspect)).ToArray()));
}
