using static TorchSharp.torch;

namespace Tuneforge.Engine.Models;

/// <summary>Which positions get logits: all (training, scoring), only the last (generation), or none (chunked heads).</summary>
public enum LogitsMode
{
    All,
    LastPosition,
    None,
}

/// <summary>Input of <see cref="CausalLM"/>.</summary>
/// <param name="InputIds">(B, T) int64 token ids.</param>
/// <param name="AttentionMask">(B, past + T), 1 for real tokens and 0 for (left) padding; null when nothing is padded.</param>
/// <param name="PositionIds">(B, T); null means past + 0..T-1, or derived from the mask when one is given.</param>
/// <param name="Cache">Keys and values of earlier positions, updated in place.</param>
public sealed record CausalLMInput(
    Tensor InputIds,
    Tensor? AttentionMask = null,
    Tensor? PositionIds = null,
    KvCache? Cache = null,
    LogitsMode Logits = LogitsMode.All);

/// <summary>Output of <see cref="CausalLM"/>.</summary>
/// <param name="Logits">(B, T or 1, vocab) in the model's dtype; null with <see cref="LogitsMode.None"/>.</param>
/// <param name="HiddenStates">(B, T, hidden) after the final norm: the LM head's input.</param>
public sealed record CausalLMOutput(Tensor? Logits, Tensor HiddenStates);

/// <summary>Input of <see cref="DecoderModel"/> (HF's <c>model</c>).</summary>
public sealed record DecoderInput(Tensor InputIds, Tensor? AttentionMask, Tensor? PositionIds, KvCache? Cache);

/// <summary>Input of one <see cref="Layers.DecoderLayer"/> and its attention.</summary>
/// <param name="Mask">(B, 1, T, S) boolean, true where a query may attend; null with <paramref name="IsCausal"/> or T = 1.</param>
/// <param name="Kernel">The attention computation for several new tokens; null for scaled_dot_product_attention.</param>
public sealed record LayerInput(Tensor Hidden, Tensor Cos, Tensor Sin, Tensor? Mask, bool IsCausal, KvCache? Cache, int LayerIndex,
    Layers.IAttentionKernel? Kernel = null);
