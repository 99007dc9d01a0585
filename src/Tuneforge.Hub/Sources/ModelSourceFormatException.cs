namespace Tuneforge.Hub.Sources;

/// <summary>A model source string that cannot be parsed; the message quotes it and says how to write it.</summary>
public sealed class ModelSourceFormatException(string text, string problem)
    : FormatException($"Invalid model source '{text}': {problem}.")
{
    /// <summary>The string as given.</summary>
    public string Text { get; } = text;

    /// <summary>What is wrong, without the quoted string.</summary>
    public string Problem { get; } = problem;
}
