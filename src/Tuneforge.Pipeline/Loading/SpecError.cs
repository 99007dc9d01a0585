namespace Tuneforge.Pipeline.Loading;

/// <summary>Where a spec problem is: a file position, or the --set override that introduced the value.</summary>
public sealed record SpecLocation(string Source, int Line, int Column)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
}

/// <summary>One problem in a pipeline spec, with its YAML path and what to do.</summary>
public sealed record SpecError(SpecLocation Location, string Path, string Message)
{
    public override string ToString() => Path.Length > 0 ? $"{Location}: {Path}: {Message}" : $"{Location}: {Message}";
}

/// <summary>A spec that cannot be used; lists every problem found, not only the first.</summary>
public sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception(errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} problems in the pipeline spec:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
