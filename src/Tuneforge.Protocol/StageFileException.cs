namespace Tuneforge.Protocol;

/// <summary>A file one stage hands another is missing or unreadable: what is wrong, and what to do about it.</summary>
public sealed class StageFileException(string message, string? hint = null) : IOException(message)
{
    public string? Hint { get; } = hint;
}
