using TorchSharp;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Training.Batching;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>
/// Forward and backward of one micro-batch: the decoder body, then the chunked head over the loss positions, then one
/// backward through the body. With gradient checkpointing the body runs without a graph, keeping each layer's input,
/// and backward recomputes one layer at a time (LoRA dropout rewound so it draws the same masks).
/// </summary>
public sealed class MicroBatchStep(TrainableModel trainable, bool gradientCheckpointing)
{
    private readonly CausalLM _model = trainable.Model;
    private readonly long _chunkRows = ChunkedLmHead.ChunkRows(trainable.Model.Config.VocabSize, trainable.Options.HeadChunk);
    private static readonly BlockCausalAttention Attention = new();

    /// <summary>Backpropagates Σ loss · <paramref name="gradScale"/> into the trainable weights; returns Σ loss.</summary>
    public double ForwardBackward(TrainingBatch batch, double gradScale)
    {
        using var scope = NewDisposeScope();
        return gradientCheckpointing ? Recomputing(batch, gradScale) : Direct(batch, gradScale);
    }

    /// <summary>Σ loss over the batch's trained tokens, without gradients (the caller sets eval mode).</summary>
    public double LossSum(TrainingBatch batch)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var hidden = Body(batch);
        var rows = hidden.view(-1, hidden.shape[^1]).index_select(0, batch.LossRows);
        return ChunkedLmHead.LossSum(rows, _model.HeadWeight, batch.Targets, _chunkRows);
    }

    private double Direct(TrainingBatch batch, double gradScale)
    {
        var hidden = Body(batch);                                                     // (B, T, H)
        var rows = hidden.view(-1, hidden.shape[^1]).index_select(0, batch.LossRows); // (N, H)
        var (loss, gradient) = Head(rows, batch, gradScale);
        rows.backward([gradient]);
        return loss;
    }

    private double Recomputing(TrainingBatch batch, double gradScale)
    {
        var layers = _model.Model.Layers;
        var inputs = new Tensor[layers.Count];
        var dropoutStates = new byte[layers.Count][];
        Tensor last;
        Tensor cos, sin;
        using (no_grad())
        {
            var x = _model.Model.Embed(batch.InputIds);
            (cos, sin) = _model.Model.Rotary.Compute(batch.PositionIds, x.dtype);
            for (var i = 0; i < layers.Count; i++)
            {
                inputs[i] = x;
                dropoutStates[i] = trainable.Dropout.GetState();
                x = layers[i].call(Input(x, cos, sin, batch, i));
            }
            last = x;
        }
        var afterForward = trainable.Dropout.GetState();

        var top = last.detach().requires_grad_(true);
        var normed = _model.Model.Norm.call(top);
        var rows = normed.view(-1, normed.shape[^1]).index_select(0, batch.LossRows);
        var (loss, gradient) = Head(rows, batch, gradScale);
        rows.backward([gradient]);
        var upstream = top.grad!;
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            using var layerScope = NewDisposeScope();
            var input = inputs[i].detach().requires_grad_(true);
            trainable.Dropout.SetState(dropoutStates[i]);
            var output = layers[i].call(Input(input, cos, sin, batch, i));
            output.backward([upstream]);
            upstream = input.grad!.detach().MoveToOuterDisposeScope();
            inputs[i].Dispose();
        }
        if (_model.Model.EmbedTokens.Weight.requires_grad)
            _model.Model.EmbedTokens.call(batch.InputIds).backward([upstream]);
        trainable.Dropout.SetState(afterForward);
        return loss;
    }

    private (double Loss, Tensor Gradient) Head(Tensor rows, TrainingBatch batch, double gradScale)
    {
        var gradients = new List<Tensor>();
        var loss = ChunkedLmHead.LossSum(rows.detach(), _model.HeadWeight, batch.Targets, _chunkRows, gradScale, gradients);
        return (loss, gradients.Count == 1 ? gradients[0] : cat(gradients, 0));
    }

    private Tensor Body(TrainingBatch batch)
    {
        var x = _model.Model.Embed(batch.InputIds);                                   // (B, T, H)
        var (cos, sin) = _model.Model.Rotary.Compute(batch.PositionIds, x.dtype);
        var layers = _model.Model.Layers;
        for (var i = 0; i < layers.Count; i++) x = layers[i].call(Input(x, cos, sin, batch, i));
        return _model.Model.Norm.call(x);
    }

    private static LayerInput Input(Tensor hidden, Tensor cos, Tensor sin, TrainingBatch batch, int layer) =>
        new(hidden, cos, sin, batch.AttentionMask, IsCausal: batch.AttentionMask is null, Cache: null, LayerIndex: layer, Kernel: Attention);
}
