namespace Tuneforge.Serve.LlamaCpp;

/// <summary>What the llama.cpp backend loads.</summary>
/// <param name="Path">The GGUF file.</param>
/// <param name="ChatTemplate">A template name, or null/"auto" to detect it from the file's metadata and vocabulary.</param>
/// <param name="ModelId">The name reported to clients; null uses the file name.</param>
/// <param name="Threads">CPU threads for llama.cpp (0 = all cores).</param>
/// <param name="ContextPerRequest">Positions one request may use (prompt + generated); null = the model's trained context, at most 4096.</param>
public sealed record GgufModelRequest(string Path, string? ChatTemplate = null, string? ModelId = null, int Threads = 0, int? ContextPerRequest = null);
