using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Runtime;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>What one server serves and how, from the command line or from the Serve stage's job.</summary>
/// <param name="Model">A model folder, hf://... or preset:NAME; null with a GGUF file.</param>
/// <param name="FeedbackDatabase">The SQLite file of responses and /feedback; null (or serve.feedback off) stores nothing.</param>
/// <param name="Threads">CPU threads of the GGUF backend; 0 = all cores.</param>
/// <param name="EvaluatedDecoding">How Evaluate decoded this model's test answers (from the Serve stage's job); null when unknown.</param>
/// <param name="Pipeline">The pipeline's model section when the Serve stage started the server (its template is checked against the stored one).</param>
internal sealed record ServeRequest(ServeSpec Serve, string? Model, string? Adapter, string? Gguf, ComputeOptions Compute, long PresetSeed,
    string? ChatTemplate, string? ModelName, string? FeedbackDatabase, int Threads, string? EvaluatedDecoding = null, ModelSpec? Pipeline = null)
{
    /// <summary>The Serve stage's job: the pipeline's model and serve sections, and the weights <see cref="ServeStage.Choose"/> picked.</summary>
    public static ServeRequest FromJob(EngineJob job, ParsedArguments arguments)
    {
        var model = job.Section(job.Model, "model");
        var serve = job.Section(job.Serve, "serve");
        var gguf = job.OptionalInput(ServeStage.GgufInput);
        if (model.NumThreads > 0) TorchSharp.torch.set_num_threads(model.NumThreads);
        return new ServeRequest(serve, gguf is null ? job.OptionalInput(ServeStage.ModelInput) ?? model.Source : null, job.OptionalInput(ServeStage.AdapterInput), gguf,
            ComputeOptions.For(model), model.PresetSeed, model.ChatTemplate, job.PipelineName, job.OptionalInput(ServeStage.FeedbackDatabaseInput),
            arguments.Int("threads") ?? model.NumThreads, job.Evaluate?.DecodingDescription(), model);
    }
}
