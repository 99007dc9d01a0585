using Tuneforge.Engine.Models;
using Tuneforge.Engine.Training.Batching;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Preference;

/// <summary>Per row of a batch: Σ log p(token | everything before) over its trained (completion) tokens, and how many
/// there are. Rows are whole examples (no packing), right-padded.</summary>
/// <param name="Sum">(B), float32 or the model's wider dtype, with the graph when computed with gradients.</param>
/// <param name="Tokens">(B), the completion tokens of each row.</param>
public sealed record SequenceLogProbs(Tensor Sum, Tensor Tokens) : IDisposable
{
    /// <summary>The length-averaged log-probability (ORPO, SimPO, IPO use it).</summary>
    public Tensor Mean() => Sum / Tokens;

    /// <summary>Rows <paramref name="start"/> .. start + count − 1.</summary>
    public SequenceLogProbs Slice(long start, long count) => new(Sum.narrow(0, start, count), Tokens.narrow(0, start, count));

    public static SequenceLogProbs Of(CausalLM model, TrainingBatch batch)
    {
        if (batch.AttentionMask is not null) throw new InvalidOperationException("preference batches hold one example per row; packed rows cannot be scored per sequence");
        using var scope = NewDisposeScope();
        var hidden = model.call(new CausalLMInput(batch.InputIds, PositionIds: batch.PositionIds, Logits: LogitsMode.None)).HiddenStates; // (B, T, H)
        var rows = hidden.view(-1, hidden.shape[^1]).index_select(0, batch.LossRows);                                // (N, H)
        var logits = model.ComputeLogits(rows);                                                                      // (N, V)
        // Log-softmax in at least float32: in bfloat16 it is off by about 1% (see FACTS.md).
        if (logits.dtype != ScalarType.Float64) logits = logits.to_type(ScalarType.Float32);
        var token = logits.log_softmax(-1).gather(1, batch.Targets.unsqueeze(1)).squeeze(1);                         // (N)
        var row = batch.LossRows.div(batch.Length, rounding_mode: RoundingMode.floor);                               // (N)
        var sum = zeros(batch.Rows, token.dtype, token.device).index_add(0, row, token, 1);                              // (B)
        var tokens = zeros(batch.Rows, token.dtype, token.device).index_add(0, row, ones_like(token), 1);
        return new SequenceLogProbs(sum.MoveToOuterDisposeScope(), tokens.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        Sum.Dispose();
        Tokens.Dispose();
    }
}
