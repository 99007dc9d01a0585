using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Packaging;

/// <summary>What a release is made of: the pipeline spec and the folders the stages wrote. Missing optional parts are left out.</summary>
public sealed record ReleaseRequest
{
    public required PipelineSpec Spec { get; init; }
    /// <summary>Where the archive is written.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Train's folder: its weights (a PEFT adapter, or a full model) and trainer_state.json.</summary>
    public required string TrainDirectory { get; init; }
    public string? CleanStatsPath { get; init; }
    public string? SplitStatsPath { get; init; }
    /// <summary>Evaluate's folder: metrics.json, report.md, report.html, plots/.</summary>
    public string? EvaluateDirectory { get; init; }
    /// <summary>Quantize's folder: quality.json and model-&lt;format&gt;.gguf files.</summary>
    public string? QuantizeDirectory { get; init; }
    /// <summary>Stage name → cache key.</summary>
    public IReadOnlyDictionary<string, string> StageKeys { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Tools { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Packages { get; init; } = new Dictionary<string, string>();
    public string? GitCommit { get; init; }
    public bool? GitDirty { get; init; }
    /// <summary>Absolute paths that must not appear in any text file (the repository root, the home folder).</summary>
    public IReadOnlyList<string> ForbiddenPaths { get; init; } = [];
}

/// <summary>The archive written: its path, SHA-256, size and files (manifest.json included).</summary>
public sealed record ReleaseResult(string ArchivePath, string Sha256, long Bytes, IReadOnlyList<string> Files);
