namespace Tuneforge.Serve.Generation;

/// <summary>What a loaded backend serves.</summary>
/// <param name="Kind">"torch" (the engine) or "gguf" (llama.cpp).</param>
/// <param name="ModelId">The name clients pass as <c>model</c> and <c>/v1/models</c> lists.</param>
/// <param name="ContextLength">Positions one request may use: prompt plus generated tokens.</param>
/// <param name="ChatTemplate">The chat template's name (deepseek-r1, chatml, llama3).</param>
/// <param name="Description">One line for logs: the weights, adapter, quantization.</param>
public sealed record BackendInfo(string Kind, string ModelId, int ContextLength, string ChatTemplate, string Description);
