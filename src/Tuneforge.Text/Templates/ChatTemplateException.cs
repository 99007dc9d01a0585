namespace Tuneforge.Text;

/// <summary>A conversation cannot be rendered with a template: the message says which message or token and why.</summary>
public sealed class ChatTemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChatTemplateException(string message)
        : base(message)
    {
    }
}
