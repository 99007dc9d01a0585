using static TorchSharp.torch;

namespace Tuneforge.Engine.Models.Layers;

/// <summary>
/// Computes softmax(q kᵀ / √d + mask) v for (B, H, T, D) queries and keys/values already repeated to the query heads.
/// <see cref="Attention"/> uses scaled_dot_product_attention unless its <see cref="LayerInput"/> brings another kernel
/// (training passes one that is faster on CPUs for the sequence lengths it sees).
/// </summary>
public interface IAttentionKernel
{
    /// <param name="mask">(B, 1, T, S) boolean, true where a query may attend; null with <paramref name="isCausal"/>.</param>
    Tensor Attend(Tensor query, Tensor key, Tensor value, Tensor? mask, bool isCausal);
}
