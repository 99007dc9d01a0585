using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Protocol;

/// <summary>What the build asks the engine to do: <c>tuneforge-engine &lt;verb&gt; --job job.json --out DIR</c>.
/// Only the spec sections the verb reads are set, so a job never depends on more than its stage's cache key.
/// Each heavy stage builds its job in one place (<see cref="TrainStage"/>, <see cref="PredictStage"/>,
/// <see cref="QuantizeStage"/>, <see cref="ServeStage"/>); the other verbs take their options in <see cref="Options"/>.</summary>
public sealed record EngineJob
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>train, predict, quantize, serve, ...</summary>
    public required string Verb { get; init; }

    /// <summary>The pipeline's name: what Serve reports as the model id and GGUF files call the model.</summary>
    public string? PipelineName { get; init; }

    public ModelSpec? Model { get; init; }
    public TrainSpec? Train { get; init; }
    public EvaluateSpec? Evaluate { get; init; }
    public QuantizeSpec? Quantize { get; init; }
    public ServeSpec? Serve { get; init; }
    public PretrainSpec? Pretrain { get; init; }
    public PreferenceSpec? Preference { get; init; }

    /// <summary>Named input paths (absolute): train, val, test (canonical JSONL records), adapter, base_model, ...</summary>
    public Dictionary<string, string> Inputs { get; init; } = [];

    /// <summary>Option values of a verb that takes its settings on the command line (tokenize, generate, ...), by option name;
    /// the command line wins over them.</summary>
    public JsonObject? Options { get; init; }

    /// <summary>The repository root, where presets find the shipped tokenizer (data/tokenizers/).</summary>
    public string? RepositoryRoot { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, SpecJson.Indented);

    /// <summary>Reads a job for <paramref name="verb"/>; a file that is not one is an <see cref="InvalidDataException"/>.</summary>
    public static EngineJob Read(string path, string verb)
    {
        EngineJob job;
        try
        {
            job = JsonSerializer.Deserialize<EngineJob>(File.ReadAllText(path), SpecJson.Options)
                  ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{e.LineNumber + 1}: not a valid engine job: {e.Message}", e);
        }
        if (job.Version != CurrentVersion)
            throw new InvalidDataException($"{path}: job version {job.Version} is not {CurrentVersion}; rebuild the build and the engine together");
        if (job.Verb != verb) throw new InvalidDataException($"{path}: the job is for '{job.Verb}', not {verb}");
        return job;
    }

    /// <summary>Writes the job as <c>job.json</c> in <paramref name="directory"/>; returns its path.</summary>
    public string Write(string directory)
    {
        var path = Path.Combine(directory, FileName);
        Files.AtomicFile.WriteAllText(path, ToJson());
        return path;
    }

    public const string FileName = "job.json";

    /// <summary>The path of a named input, or a clear error when the build did not give it.</summary>
    public string Input(string name) => Inputs.TryGetValue(name, out var path)
        ? path
        : throw new InvalidDataException($"The {Verb} job has no '{name}' input (it has: {string.Join(", ", Inputs.Keys)}).");

    public string? OptionalInput(string name) => Inputs.TryGetValue(name, out var path) ? path : null;

    /// <summary>A section the verb needs, or a clear error naming it.</summary>
    public T Section<T>(T? section, string name) where T : class =>
        section ?? throw new InvalidDataException($"the {Verb} job has no {name} section; the build writes it from the pipeline's {name} section");
}
