using Tuneforge.Engine.Runtime;

namespace Tuneforge.Serve.Torch;

/// <summary>What the engine backend loads.</summary>
/// <param name="Model">A model folder (plain, merged or int8/int4-quantized), <c>hf://org/name[@revision]</c> or <c>preset:NAME</c>.</param>
/// <param name="Adapter">A PEFT LoRA adapter folder applied to the model, or null.</param>
/// <param name="ChatTemplate">A template name, or null/"auto" to detect it from the tokenizer.</param>
/// <param name="ModelId">The name reported to clients; null uses the folder's or preset's name.</param>
public sealed record TorchModelRequest(
    string Model,
    string? Adapter,
    ComputeOptions Compute,
    long PresetSeed = 0,
    string? ChatTemplate = null,
    string? ModelId = null);
