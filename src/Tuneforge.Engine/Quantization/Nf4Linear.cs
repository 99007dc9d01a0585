using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using Tuneforge.Engine.Models.Layers;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization;

/// <summary>
/// A frozen linear layer whose weight is held in NF4 (bitsandbytes' <c>Linear4bit</c>): the weight is dequantized to
/// <see cref="ComputeDType"/> a block of rows at a time into a reused buffer for the product, in forward and once more
/// in backward, so no full-precision copy lives between them. The input is cast to the compute dtype and the output back.
/// </summary>
public sealed class Nf4Linear : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "bias")] private readonly Parameter? _bias;

    public Nf4Linear(Nf4Tensor weight, Tensor? bias, ScalarType computeDType) : base(nameof(Nf4Linear))
    {
        if (weight.Shape.Length != 2) throw new ArgumentException("an NF4 linear weight is [out, in]");
        Weight = weight;
        OutFeatures = weight.Shape[0];
        InFeatures = weight.Shape[1];
        ComputeDType = computeDType;
        if (bias is not null)
        {
            _bias = new Parameter(bias.detach().clone(), requires_grad: false);
            register_parameter("bias", _bias);
        }
    }

    /// <summary>Quantizes a projection's weight (its bias is kept as is).</summary>
    public static Nf4Linear From(Projection projection, int blockSize, ScalarType computeDType, bool doubleQuant = false) =>
        new(Nf4Tensor.Quantize(projection.Weight, blockSize, doubleQuant), projection.Bias, computeDType);

    public Nf4Tensor Weight { get; }
    public Parameter? Bias => _bias;
    public long InFeatures { get; }
    public long OutFeatures { get; }
    public ScalarType ComputeDType { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.dtype == ComputeDType ? input : input.to_type(ComputeDType);
        var y = Nf4Product.apply(x, this);
        if (_bias is not null) y = y + (_bias.dtype == y.dtype ? _bias : _bias.to_type(y.dtype));
        return (y.dtype == input.dtype ? y : y.to_type(input.dtype)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Weight.Dispose();
        base.Dispose(disposing);
    }

    // Rows of the weight dequantized into this thread's block buffer: a fresh full-size tensor per product costs its page faults.
    private Projection.RowBlock Rows(ScalarType dtype) =>
        (start, count) => Weight.DequantizeInto(Projection.BlockBuffer(count, InFeatures, dtype, Weight.Packed.device), start * InFeatures);

    /// <summary>x Wᵀ with W dequantized on the fly; backward dequantizes again instead of saving W.</summary>
    private sealed class Nf4Product : autograd.SingleTensorFunction<Nf4Product>
    {
        public override string Name => nameof(Nf4Product);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, layer) = ((Tensor)vars[0], (Nf4Linear)vars[1]);
            ctx.save_data("layer", layer);
            return Projection.BlockedLinear(x, layer.OutFeatures, layer.InFeatures, layer.Rows(x.dtype));
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var layer = (Nf4Linear)ctx.get_data("layer");
            return [Projection.BlockedBackward(gradOutput, layer.OutFeatures, layer.InFeatures, layer.Rows(gradOutput.dtype)), null!];
        }
    }
}
