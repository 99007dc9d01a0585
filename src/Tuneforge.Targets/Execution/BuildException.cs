namespace Tuneforge.Targets;

/// <summary>A failure the user can act on: printed as its message, without a stack trace.</summary>
public class BuildException(string message, Exception? inner = null) : Exception(message, inner);
