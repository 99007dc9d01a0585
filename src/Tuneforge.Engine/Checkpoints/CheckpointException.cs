using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>A checkpoint that cannot be read or does not fit the model; the message names the file and the problem.</summary>
public sealed class CheckpointException(string message, string? hint = null) : EngineException(message, hint);
