namespace Tuneforge.Engine.Runtime;

/// <summary>An error the user can act on: what went wrong and, in <see cref="Hint"/>, what to do.</summary>
public class EngineException(string message, string? hint = null, Exception? inner = null) : Exception(message, inner)
{
    public string? Hint { get; } = hint;
}
