namespace Tuneforge.Data;

/// <summary>A problem with the user's data or data settings. The message is complete: what is wrong, where
/// (file:line:column or the spec key), and what to do. The build shows it as is, without a stack trace.</summary>
public sealed class DataException(string message, Exception? inner = null) : Exception(message, inner);
