namespace Tuneforge.Serve.Generation;

/// <summary>A backend could not make room for a job (its KV cache is full): the request may succeed later.</summary>
public sealed class CapacityException(string message) : Exception(message);
