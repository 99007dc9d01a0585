using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Batching;

/// <summary>
/// One micro-batch as tensors. Rows are right-padded, so with causal attention no real token sees padding and
/// no mask is needed; packed rows carry a block-diagonal causal mask instead.
/// </summary>
/// <param name="InputIds">(B, T) int64.</param>
/// <param name="PositionIds">(1, T) without packing, (B, T) restarting at each packed example.</param>
/// <param name="AttentionMask">(B, 1, T, T) boolean for packed rows (true = may attend), else null.</param>
/// <param name="LossRows">(N) int64: indices b·T + t of the hidden states that predict a trained token.</param>
/// <param name="Targets">(N) int64: the token each of those predicts.</param>
public sealed record TrainingBatch(Tensor InputIds, Tensor PositionIds, Tensor? AttentionMask, Tensor LossRows, Tensor Targets,
    int Rows, int Length, long Tokens, long LossTokens) : IDisposable
{
    public void Dispose()
    {
        InputIds.Dispose();
        PositionIds.Dispose();
        AttentionMask?.Dispose();
        LossRows.Dispose();
        Targets.Dispose();
    }
}
