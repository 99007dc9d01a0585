namespace Tuneforge.Text;

/// <summary>
/// A tokenizer folder could not be read: the message names the file, the place in it and what to do.
/// </summary>
public sealed class TokenizerLoadException : Exception
{
    /// <summary>Creates the exception with a message that names the file and the problem.</summary>
    public TokenizerLoadException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
