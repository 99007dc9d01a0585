using Tuneforge.Data.Training;

namespace Tuneforge.Serve.LlamaCpp;

/// <summary>What the llama.cpp backend loads.</summary>
/// <param name="Path">The GGUF file.</param>
/// <param name="ChatTemplate">null or auto (the file's tokenizer.chat_template, else detected from its vocabulary), tokenizer, or a template name.</param>
/// <param name="ModelId">The name reported to clients; null uses the file name.</param>
/// <param name="Threads">CPU threads for llama.cpp (0 = all cores).</param>
/// <param name="ContextPerRequest">Positions one request may use (prompt + generated); null = the model's trained context, at most 4096.</param>
/// <param name="PipelineChat">The Serve stage's template (model.chat_template resolved as training resolved it): the file must carry exactly it.</param>
public sealed record GgufModelRequest(string Path, string? ChatTemplate = null, string? ModelId = null, int Threads = 0, int? ContextPerRequest = null,
    ChatSetup? PipelineChat = null);
