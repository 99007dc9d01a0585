using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models.Layers;

/// <summary>
/// A linear layer, y = x Wᵀ + b, with HF's parameter names (<c>weight</c> [out, in], <c>bias</c> [out]).
/// Created uninitialized: a checkpoint or <see cref="ParameterInitializer"/> fills it.
/// </summary>
public sealed class Projection : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private readonly Parameter _weight;
    [ComponentName(Name = "bias")] private readonly Parameter? _bias;

    public Projection(long inFeatures, long outFeatures, bool hasBias, Device device, ScalarType dtype)
        : base(nameof(Projection))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _weight = new Parameter(empty([outFeatures, inFeatures], dtype, device));
        register_parameter("weight", _weight);
        if (hasBias)
        {
            _bias = new Parameter(empty([outFeatures], dtype, device));
            register_parameter("bias", _bias);
        }
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Parameter Weight => _weight;
    public Parameter? Bias => _bias;

    public override Tensor forward(Tensor input)
    {
        if (_weight.dtype == input.dtype) return nn.functional.linear(input, _weight, _bias);
        using var scope = NewDisposeScope();
        var product = Product(input, _weight);
        if (_bias is not null) product = product + _bias.to_type(input.dtype);
        return product.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x Wᵀ in x's dtype. A frozen weight of another dtype (bfloat16 weights, float32 math) is widened for the product
    /// and widened again in backward, never kept: the saved graph holds no float32 copy of the model.
    /// </summary>
    public static Tensor Product(Tensor input, Tensor weight)
    {
        if (weight.dtype == input.dtype) return nn.functional.linear(input, weight);
        if (weight.requires_grad) return nn.functional.linear(input, weight.to_type(input.dtype));
        return WidenedProduct.apply(input, weight);
    }

    private sealed class WidenedProduct : autograd.SingleTensorFunction<WidenedProduct>
    {
        // One float32 buffer per weight shape, reused by every layer of that shape: a fresh tensor per product costs its
        // page faults, 7× the widening itself here (75 vs 11 ms for an 8960 × 1536 weight).
        [ThreadStatic] private static Dictionary<(long, long, ScalarType, DeviceType, int), Tensor>? _buffers;

        public override string Name => nameof(WidenedProduct);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, weight) = ((Tensor)vars[0], (Tensor)vars[1]);
            ctx.save_data("weight", weight);
            return nn.functional.linear(x, Widened(weight, x.dtype));
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var weight = (Tensor)ctx.get_data("weight");
            return [gradOutput.matmul(Widened(weight, gradOutput.dtype)), null!];
        }

        private static Tensor Widened(Tensor weight, ScalarType dtype)
        {
            _buffers ??= [];
            var key = (weight.shape[0], weight.shape[1], dtype, weight.device.type, weight.device.index);
            if (!_buffers.TryGetValue(key, out var buffer))
                _buffers[key] = buffer = empty(weight.shape, dtype, weight.device).DetachFromDisposeScope();
            return buffer.copy_(weight);
        }
    }
}
