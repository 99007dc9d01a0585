using Tuneforge.Pipeline.Model;
using Tuneforge.Protocol;
using Tuneforge.Targets;

partial class Build
{
    Target Quantize => _ => _
        .DependsOn(Train, PreferenceTrain, Split)
        .After(Evaluate)
        .Description("Merges the adapter; int8/int4 and GGUF (llama.cpp, Ollama) formats; perplexity and ROUGE-L change of each: merged/, *.gguf, quality.json")
        .Cached(c => c
            .Upstream(Tuned(), Split)
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("model_identity", Stages.BaseModelIdentity(TemporaryDirectory))
            .Value("quantize", SpecJson.Canonical(Spec.Quantize))
            .Value("generation", SpecJson.Canonical(QuantizeStage.GenerationSettings(Spec.Evaluate)))
            .Salt(QuantizeStage.Salt)
            .Publish(ArtifactsDirectory / "quantize"))
        .Executes(async () => ReportSummary((await Stages.Quantize(Output(Split), Output(Tuned()), Output(Quantize))).ToArray()));
}
