using System.Text.Json;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Protocol;

/// <summary>What the build asks the engine to do: <c>tuneforge-engine &lt;verb&gt; --job job.json --out DIR</c>.
/// Only the spec sections the verb reads are set, so a job never depends on more than its stage's cache key.</summary>
public sealed record EngineJob
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>train, evaluate, quantize, ...</summary>
    public required string Verb { get; init; }

    public ModelSpec? Model { get; init; }
    public TrainSpec? Train { get; init; }
    public EvaluateSpec? Evaluate { get; init; }
    public QuantizeSpec? Quantize { get; init; }
    public PretrainSpec? Pretrain { get; init; }

    /// <summary>Named input paths (absolute): train, val, test (canonical JSONL records), adapter, base_model, ...</summary>
    public Dictionary<string, string> Inputs { get; init; } = [];

    /// <summary>The repository root, where presets find the shipped tokenizer (data/tokenizers/).</summary>
    public string? RepositoryRoot { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, SpecJson.Indented);

    public static EngineJob Read(string path)
    {
        try
        {
            var job = JsonSerializer.Deserialize<EngineJob>(File.ReadAllText(path), SpecJson.Options)
                      ?? throw new JsonException("the file holds null");
            if (job.Version != CurrentVersion)
                throw new JsonException($"job version {job.Version} is not {CurrentVersion}; rebuild the build and the engine together");
            return job;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid engine job: {e.Message}", e);
        }
    }

    /// <summary>The path of a named input, or a clear error when the build did not give it.</summary>
    public string Input(string name) => Inputs.TryGetValue(name, out var path)
        ? path
        : throw new InvalidDataException($"The {Verb} job has no '{name}' input (it has: {string.Join(", ", Inputs.Keys)}).");
}
