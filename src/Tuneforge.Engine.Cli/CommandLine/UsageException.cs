namespace Tuneforge.Engine.Cli.CommandLine;

/// <summary>The command line is wrong: unknown verb or option, missing or malformed value. Exit code 2.</summary>
public sealed class UsageException(string message, string? hint = null) : Exception(message)
{
    public string? Hint { get; } = hint;
}
