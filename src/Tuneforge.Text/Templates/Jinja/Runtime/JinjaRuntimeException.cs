namespace Tuneforge.Text.Jinja;

/// <summary>An error while rendering, located at the innermost expression or statement that raised it.</summary>
internal sealed class JinjaRuntimeException(string message, bool raisedByTemplate = false) : Exception(message)
{
    /// <summary>Offset in the template source, set by the evaluator as the error passes the node that caused it.</summary>
    public int? Offset { get; set; }

    /// <summary>The template called raise_exception: its message is for the user, as written.</summary>
    public bool RaisedByTemplate { get; } = raisedByTemplate;

    public static JinjaRuntimeException Type(string message) => new($"TypeError: {message}");
}
