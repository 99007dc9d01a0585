using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Protocol;

/// <summary>The Serve stage (<c>tuneforge-engine serve --job</c>): the HTTP API over the tuned model until stopped.
/// Which weights it serves follows serve.backend and serve.weights: the base with Train's adapter (or Train's full
/// model), one of Quantize's folders, or one of its GGUF files.</summary>
public static class ServeStage
{
    public const string Verb = "serve";

    public const string ModelInput = "model";
    public const string AdapterInput = "adapter";
    public const string GgufInput = "gguf";
    public const string FeedbackDatabaseInput = "feedback_db";

    /// <summary>The weights to serve; an error that says what to run when the stage that makes them has not.</summary>
    /// <param name="quantized">Quantize's outputs, asked for only when serve.weights or serve.backend needs them.</param>
    public static ServedWeights Choose(PipelineSpec spec, TrainOutputs trained, Func<QuantizeOutputs> quantized)
    {
        var serve = spec.Serve;
        if (serve.Backend == "gguf")
        {
            var outputs = quantized();
            var file = outputs.GgufPath(serve.GgufFormat);
            if (!File.Exists(file))
                throw new StageFileException($"serve.gguf_format is {serve.GgufFormat}, but Quantize wrote no {Path.GetFileName(file)} (it has: {string.Join(", ", outputs.GgufFiles())})",
                    $"Add {serve.GgufFormat} to quantize.formats and run ./build.sh Quantize");
            return new ServedWeights(GgufInput, file, null, file);
        }
        if (serve.Weights is "merged" or "int8" or "int4")
        {
            var folder = quantized().Folder(serve.Weights);
            if (!Directory.Exists(folder))
                throw new StageFileException($"serve.weights is {serve.Weights}, but Quantize wrote no {serve.Weights}/", "Add it to quantize.formats and run ./build.sh Quantize");
            return new ServedWeights(ModelInput, folder, null, folder);
        }
        var weights = trained.Weights();
        return weights.IsAdapter
            ? new ServedWeights(ModelInput, null, weights.Directory, $"{spec.Model.Source} + {weights.Directory}")
            : new ServedWeights(ModelInput, weights.Directory, null, weights.Directory);
    }

    /// <param name="repositoryRoot">Where relative paths of the serve section (api_keys_file) start.</param>
    public static EngineJob Job(PipelineSpec spec, ServedWeights weights, string? feedbackDatabase, string repositoryRoot)
    {
        var inputs = new Dictionary<string, string>();
        if (weights.Path is { } path) inputs[weights.Kind] = path;
        if (weights.Adapter is { } adapter) inputs[AdapterInput] = adapter;
        if (feedbackDatabase is not null && spec.Serve.Feedback) inputs[FeedbackDatabaseInput] = feedbackDatabase;
        return new EngineJob
        {
            Verb = Verb,
            PipelineName = spec.Name,
            Model = spec.Model,
            Evaluate = spec.Evaluate,
            Serve = spec.Serve with { ApiKeysFile = spec.Serve.ApiKeysFile is { } file ? Path.GetFullPath(file, repositoryRoot) : null },
            Inputs = inputs,
            RepositoryRoot = repositoryRoot,
        };
    }
}

/// <summary>What Serve loads.</summary>
/// <param name="Kind">The job input that names <paramref name="Path"/>: model (a folder) or gguf (a file).</param>
/// <param name="Path">A model folder or GGUF file; null serves the pipeline's base model (with <paramref name="Adapter"/>).</param>
/// <param name="Description">What the summary and the startup line call it.</param>
public sealed record ServedWeights(string Kind, string? Path, string? Adapter, string Description);
