namespace Tuneforge.Metrics.Predictions;

/// <summary>A predictions file that cannot be read; the message names the file, line (and column) and what to fix.</summary>
public sealed class PredictionsFormatException(string path, int line, string problem, int column = 0)
    : Exception(Format(path, line, column, problem))
{
    public string FilePath { get; } = path;

    /// <summary>1-based line number, 0 when the problem concerns the whole file.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column, 0 when unknown.</summary>
    public int Column { get; } = column;

    public string Problem { get; } = problem;

    private static string Format(string path, int line, int column, string problem) =>
        (line, column) switch
        {
            (<= 0, _) => $"{path}: {problem}",
            (_, <= 0) => $"{path}:{line}: {problem}",
            _ => $"{path}:{line}:{column}: {problem}",
        };
}
