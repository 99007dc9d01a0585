using Tuneforge.Data;
using Tuneforge.Data.Cleaning;
using Tuneforge.Data.Inspection;
using Tuneforge.Pipeline.Model;
using Tuneforge.Targets;

partial class Build
{
    Target Inspect => _ => _
        .DependsOn(Split)
        .Description("The first train examples token by token as Train encodes them (trained tokens marked, special tokens shown, truncation marked): inspect.html, inspect.txt")
        .Cached(c => c
            .Upstream(Split)
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("inspect", SpecJson.Canonical(Spec.Inspect))
            .Value("max_seq_length", Spec.Train.MaxSeqLength.ToString())
            .Directory(InspectTokenizer)
            .Salt(DataVersion.Inspect)
            .Publish(ArtifactsDirectory / "inspect"))
        .Executes(() => Show(UserError(() => DataStages.Inspect(new InspectRequest(Spec.Model, Spec.Inspect, Spec.Train.MaxSeqLength,
            Output(Split) / DataStages.TrainFile, InspectTokenizer, Output(Inspect)), Cancellation))));

    void Show(InspectResult result)
    {
        Log.Information(result.TextView);
        ReportSummary([.. result.SummaryPairs()]);
    }

    string InspectTokenizer => UserError(() => TokenizerFolder.ForInspect(Spec.Inspect, Spec.Model, RootDirectory));
}
