using Tuneforge.Packaging;
using Tuneforge.Pipeline.Model;
using Tuneforge.Protocol;
using Tuneforge.Stages;
using Tuneforge.Targets;

partial class Build
{
    Target Package => _ => _
        .DependsOn(Evaluate, Quantize)
        .Description("The release archive dist/<name>-<version>.zip: adapter (or model), MODEL_CARD.md, report, manifest.json (+ GGUF and Modelfile); byte-identical on re-run")
        .Produces("dist/*.zip")
        .Cached(c => c
            .Upstream(Clean, Split, Tuned(), Evaluate, Quantize)
            .Value("release", Stages.ReleaseIdentity)
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("train", TrainKey.Canonical(Spec.Train))
            .Value("package", SpecJson.Canonical(Spec.Package))
            .Value("provenance", Stages.Provenance.Text)
            .Salt(PackagingVersion.Current)
            .Publish(ArtifactsDirectory / "package"))
        .Executes(() => ReportSummary(Stages.Package(ReleaseInputs, Output(Package)).ToArray()))
        .Checks(() => Stages.PublishRelease(Output(Package)));

    ReleaseInputs ReleaseInputs => new(Output(Clean), Output(Split), Output(Tuned()), Output(Evaluate), Output(Quantize),
        new[] { Clean, Split, Tuned(), Predict, Evaluate, Quantize }.Select(KeyOf).ToDictionary(k => k.Target, k => k.Hash));
}
