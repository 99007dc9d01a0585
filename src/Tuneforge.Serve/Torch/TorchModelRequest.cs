using Tuneforge.Engine.Runtime;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Serve.Torch;

/// <summary>What the engine backend loads.</summary>
/// <param name="Model">A model folder (plain, merged or int8/int4-quantized), <c>hf://org/name[@revision]</c> or <c>preset:NAME</c>.</param>
/// <param name="Adapter">A PEFT LoRA adapter folder applied to the model, or null.</param>
/// <param name="ChatTemplate">The command line's choice (auto, tokenizer or a name; null = auto: the adapter's stored template, else as model.chat_template: auto).</param>
/// <param name="ModelId">The name reported to clients; null uses the folder's or preset's name.</param>
/// <param name="Pipeline">The pipeline's model section (Serve stage): its chat template, kwargs, reasoning policy and system prompt, as in training.</param>
public sealed record TorchModelRequest(
    string Model,
    string? Adapter,
    ComputeOptions Compute,
    long PresetSeed = 0,
    string? ChatTemplate = null,
    string? ModelId = null,
    ModelSpec? Pipeline = null);
