using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using Tuneforge.Engine.Models.Layers;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization;

/// <summary>
/// A linear layer with int8 weights and one float32 scale per output channel: W ≈ q·s, q = round(W / s),
/// s = max|W_row| / 127. Because the scale belongs to the output row, y = (x·qᵀ)·s + b: the product runs on the
/// int8 values converted to the compute dtype (exact for |q| ≤ 127) and one multiply per output applies the scale.
/// Names as stored: <c>weight</c> (I8 [out, in]), <c>weight_scale</c> (F32 [out]), <c>bias</c>.
/// </summary>
public sealed class Int8Linear : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private readonly Parameter _weight;
    [ComponentName(Name = "weight_scale")] private readonly Parameter _scale;
    [ComponentName(Name = "bias")] private readonly Parameter? _bias;

    private Int8Linear(Tensor quantized, Tensor scale, Tensor? bias) : base(nameof(Int8Linear))
    {
        _weight = new Parameter(quantized, requires_grad: false);
        _scale = new Parameter(scale, requires_grad: false);
        register_parameter("weight", _weight);
        register_parameter("weight_scale", _scale);
        if (bias is not null)
        {
            _bias = new Parameter(bias, requires_grad: false);
            register_parameter("bias", _bias);
        }
    }

    public long InFeatures => _weight.shape[1];
    public long OutFeatures => _weight.shape[0];
    public Tensor Quantized => _weight;
    public Tensor Scale => _scale;

    /// <summary>Quantizes a float weight [out, in] (and keeps the bias as it is).</summary>
    public static Int8Linear FromWeight(Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        var w = weight.detach().to_type(ScalarType.Float32);
        var scale = w.abs().amax([1]) / 127f;                                            // (out)
        var safe = where(scale.gt(0), scale, ones_like(scale));                          // an all-zero row stays zero
        var q = (w / safe.unsqueeze(1)).round().clamp(-127, 127).to_type(ScalarType.Int8);
        var module = new Int8Linear(q.DetachFromDisposeScope(), scale.DetachFromDisposeScope(), bias?.detach().clone().DetachFromDisposeScope());
        return module;
    }

    /// <summary>An empty layer of the right shapes, to load stored weights into.</summary>
    public static Int8Linear Empty(long inFeatures, long outFeatures, bool hasBias, Device device, ScalarType dtype) =>
        new(zeros([outFeatures, inFeatures], ScalarType.Int8, device), zeros([outFeatures], ScalarType.Float32, device),
            hasBias ? zeros([outFeatures], dtype, device) : null);

    /// <summary>The weight as the layer computes with it, float32 [out, in].</summary>
    public Tensor Dequantize()
    {
        using var scope = NewDisposeScope();
        return (_weight.to_type(ScalarType.Float32) * _scale.unsqueeze(1)).MoveToOuterDisposeScope();
    }

    // The int8 weight widened a block of rows at a time into the reused buffer, never whole.
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var product = Projection.WidenedLinear(input, _weight) * _scale.to_type(input.dtype);
        if (_bias is not null) product = product + _bias.to_type(input.dtype);
        return product.MoveToOuterDisposeScope();
    }
}
