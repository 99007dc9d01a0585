namespace Tuneforge.Engine.Models;

/// <summary>A config.json the engine cannot build a model from; the message names the file and the key.</summary>
public sealed class ModelConfigException(string message) : Exception(message);
