using System.Text.Json.Nodes;
using Tuneforge.Data;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Protocol;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Stages.Engine;
using Tuneforge.Targets;

partial class Build
{
    // Version of the engine's quantize code (merge, formats, quality.json); bump when its outputs would change.
    const string QuantizeSalt = "tuneforge-quantize/2";

    Target Quantize => _ => _
        .DependsOn(Train, Split)
        .After(Evaluate)
        .Description("Merges the adapter; int8/int4 and GGUF (llama.cpp, Ollama) formats; perplexity and ROUGE-L change of each: merged/, *.gguf, quality.json")
        .Cached(c => c
            .Upstream(Train, Split)
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("model_identity", BaseModelIdentity)
            .Value("quantize", SpecJson.Canonical(Spec.Quantize))
            .Value("generation", SpecJson.Canonical(QuantizeGeneration))
            .Salt(QuantizeSalt)
            .Publish(ArtifactsDirectory / "quantize"))
        .Executes(async () =>
        {
            var trained = Output(Train);
            var job = new EngineJob
            {
                Verb = "quantize",
                Model = Spec.Model,
                Train = Spec.Train,
                Evaluate = QuantizeGeneration,
                Quantize = Spec.Quantize,
                Inputs = { ["test"] = Output(Split) / DataStages.TestFile },
                RepositoryRoot = RootDirectory,
            };
            if ((trained / "adapter").DirectoryExists()) job.Inputs["adapter"] = trained / "adapter";
            else if ((trained / "model").DirectoryExists()) job.Inputs["tuned_model"] = trained / "model";
            else throw new BuildException($"Train's output {trained.RelativeTo(RootDirectory)} has neither adapter/ nor model/; run ./build.sh Train --force Train");
            var run = await new EngineClient(RootDirectory).RunAsync(job, Output(Quantize), cancellation: Cancellation);
            var formats = run.Result?.Data["formats"] as JsonArray ?? throw new BuildException("The engine's quantize finished without a result event.");
            ReportSummary(formats.Where(f => f?["format"]?.GetValue<string>() != "merged").Select(f => (
                f!["format"]!.GetValue<string>(),
                $"{f["bytes"]!.GetValue<long>() / 1048576.0:0.0} MiB" + (f["perplexity"] is { } p ? $", ppl {p.GetValue<double>():0.##}" : ""))).ToArray());
        });

    // Answers are generated as Evaluate generates them; only the settings that shape them are part of the key.
    EvaluateSpec QuantizeGeneration => new()
    {
        MaxNewTokens = Spec.Evaluate.MaxNewTokens,
        BatchSize = Spec.Evaluate.BatchSize,
        RougeUseStemmer = Spec.Evaluate.RougeUseStemmer,
        CompareBase = false,
        Gates = [],
    };
}
