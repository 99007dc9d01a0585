using System.Text.Json.Serialization;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Protocol;

/// <summary>The Quantize stage (<c>tuneforge-engine quantize</c>): merges Train's adapter into the base (or takes
/// Train's full model), writes merged/, int8/, int4/ and GGUF files, and measures each on the test split.</summary>
public static class QuantizeStage
{
    public const string Verb = "quantize";

    /// <summary>Version of the engine's quantize code (merge, formats, quality.json); bump when its outputs would change.
    /// 3: perplexity by the one meter Predict uses (batched, chunked head) instead of a per-example copy.
    /// 4: quality answers stop at the one stop-token set (StopTokens), which adds generation_config.json's EOS ids.
    /// 5: the trained chat template in chat_template.jinja (top and merged/) and GGUF tokenizer.chat_template.
    /// 6: merge and GGUF export stream from disk; GGUF files of bfloat16 bases hold the bfloat16-rounded merged values.</summary>
    public const string Salt = "tuneforge-quantize/6";

    public const string TestInput = "test";
    public const string AdapterInput = "adapter";
    public const string TunedModelInput = "tuned_model";

    /// <summary>Answers are generated as Predict generates them; only the settings that shape them go into the job (and key).</summary>
    public static EvaluateSpec GenerationSettings(EvaluateSpec evaluate) => new()
    {
        MaxNewTokens = evaluate.MaxNewTokens,
        BatchSize = evaluate.BatchSize,
        RougeUseStemmer = evaluate.RougeUseStemmer,
        CompareBase = false,
        Gates = [],
    };

    public static EngineJob Job(PipelineSpec spec, string testFile, TrainOutputs trained, string repositoryRoot)
    {
        var weights = trained.Weights();
        return new EngineJob
        {
            Verb = Verb,
            PipelineName = spec.Name,
            Model = spec.Model,
            Train = spec.Train,
            Evaluate = GenerationSettings(spec.Evaluate),
            Quantize = spec.Quantize,
            Inputs = { [TestInput] = testFile, [weights.IsAdapter ? AdapterInput : TunedModelInput] = weights.Directory },
            RepositoryRoot = repositoryRoot,
        };
    }
}

/// <summary>What Quantize writes: merged/ (a Hugging Face folder), int8/ and int4/ (the engine's weight-only formats),
/// model-&lt;type&gt;.gguf per GGUF format, quality.json, and chat_template.jinja (the template the GGUF files carry).</summary>
public sealed record QuantizeOutputs(string Directory)
{
    public string QualityPath => Path.Combine(Directory, QualityReport.FileName);

    /// <summary>merged/, int8/ or int4/.</summary>
    public string Folder(string format) => format is "merged" or "int8" or "int4"
        ? Path.Combine(Directory, format)
        : throw new ArgumentException($"'{format}' is not a folder format (merged, int8, int4)", nameof(format));

    /// <summary>The file of a GGUF format, named by its type: gguf_q8_0 → model-q8_0.gguf.</summary>
    public string GgufPath(string format) => Path.Combine(Directory, GgufFileName(format));

    public static string GgufType(string format) =>
        (format.StartsWith("gguf_", StringComparison.Ordinal) ? format["gguf_".Length..] : format).ToLowerInvariant();

    public static string GgufFileName(string format) => $"model-{GgufType(format)}.gguf";

    /// <summary>Where a format's output lives, relative to the Quantize folder (as quality.json records it).</summary>
    public static string RelativePath(string format) => format.StartsWith("gguf_", StringComparison.Ordinal) ? GgufFileName(format) : format;

    public IReadOnlyList<string> GgufFiles() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.GetFiles(Directory, "*.gguf").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList() : [];

    public QualityReport? Quality() => File.Exists(QualityPath) ? QualityReport.Read(QualityPath) : null;
}

/// <summary>The quantize verb's result event.</summary>
public sealed record QuantizeResult
{
    public required string ChatTemplate { get; init; }
    public int Examples { get; init; }
    public IReadOnlyList<QuantizedFormatResult> Formats { get; init; } = [];
    public Dictionary<string, double> Timings { get; init; } = [];
    public long? PeakRssBytes { get; init; }

    /// <summary>The peak RSS of each step (merge, each format's export, each quality check), in bytes.</summary>
    public Dictionary<string, long> PeakRssByStep { get; init; } = [];
}

/// <summary>One format of <see cref="QuantizeResult"/>.</summary>
public sealed record QuantizedFormatResult
{
    public required string Format { get; init; }
    public long Bytes { get; init; }
    public double? Perplexity { get; init; }

    [JsonPropertyName("rougeL_delta")]
    public double? RougeLDelta { get; init; }
}
