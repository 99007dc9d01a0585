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
        // Nothing to differentiate (generation, perplexity, a base model whose weights were never frozen): blocks into
        // the reused buffer, not a fresh copy of the weight per product (2.5x slower for a 1.5B-wide model's decode).
        if (!is_grad_enabled() || !(input.requires_grad || weight.requires_grad)) return WidenedLinear(input, weight);
        if (weight.requires_grad) return nn.functional.linear(input, weight.to_type(input.dtype));
        return WidenedProduct.apply(input, weight);
    }

    // One buffer per block shape and dtype, reused by every layer: a fresh tensor per product costs its page faults,
    // 7× the widening itself here (75 vs 11 ms for an 8960 × 1536 weight).
    [ThreadStatic] private static Dictionary<(long, long, ScalarType, DeviceType, int), Tensor>? _buffers;

    /// <summary>Rows of a weight widened at once: 2²⁴ values (64 MiB in float32), so a 152k-row LM head never exists widened whole.</summary>
    internal const long WidenedBlockElements = 1L << 24;

    /// <summary>
    /// This thread's buffer of <paramref name="rows"/> × <paramref name="columns"/> in <paramref name="dtype"/>: valid
    /// until the next product that fills the same shape. Never give it to autograd.
    /// </summary>
    internal static Tensor BlockBuffer(long rows, long columns, ScalarType dtype, Device device)
    {
        _buffers ??= [];
        var key = (rows, columns, dtype, device.type, device.index);
        if (!_buffers.TryGetValue(key, out var buffer))
            _buffers[key] = buffer = empty([rows, columns], dtype, device).DetachFromDisposeScope();
        return buffer;
    }

    /// <summary>
    /// Rows <paramref name="start"/>.. of <paramref name="weight"/> [out, in] (<paramref name="count"/> of them) in
    /// <paramref name="dtype"/>, in this thread's <see cref="BlockBuffer"/> for that shape.
    /// </summary>
    internal static Tensor Widened(Tensor weight, ScalarType dtype, long start, long count)
    {
        using var rows = weight.narrow(0, start, count);
        return BlockBuffer(count, weight.shape[1], dtype, weight.device).copy_(rows);
    }

    /// <summary>Rows start.. (count of them) of a frozen weight, in the compute dtype, in a <see cref="BlockBuffer"/>.</summary>
    internal delegate Tensor RowBlock(long start, long count);

    /// <summary>The row blocks (start, count) a weight of <paramref name="rows"/> × <paramref name="columns"/> is widened in.</summary>
    internal static IEnumerable<(long Start, long Count)> Blocks(long rows, long columns)
    {
        var size = Math.Max(1, Math.Min(rows, WidenedBlockElements / columns));
        for (long start = 0; start < rows; start += size) yield return (start, Math.Min(size, rows - start));
    }

    /// <summary>x Wᵀ with W widened a block of rows at a time, into one output.</summary>
    internal static Tensor WidenedLinear(Tensor x, Tensor weight) =>
        BlockedLinear(x, weight.shape[0], weight.shape[1], (start, count) => Widened(weight, x.dtype, start, count));

    /// <summary>g W (the input's gradient of x Wᵀ) with W widened a block of rows at a time.</summary>
    internal static Tensor WidenedBackward(Tensor gradOutput, Tensor weight) =>
        BlockedBackward(gradOutput, weight.shape[0], weight.shape[1], (start, count) => Widened(weight, gradOutput.dtype, start, count));

    /// <summary>x Wᵀ for a W of <paramref name="rows"/> × <paramref name="columns"/> that <paramref name="block"/> writes a block of rows at a time.</summary>
    internal static Tensor BlockedLinear(Tensor x, long rows, long columns, RowBlock block)
    {
        var blocks = Blocks(rows, columns).ToList();
        if (blocks.Count == 1) return nn.functional.linear(x, block(0, rows));
        var output = empty([.. x.shape[..^1], rows], x.dtype, x.device);
        foreach (var (start, count) in blocks)
        {
            using var part = nn.functional.linear(x, block(start, count));
            using var target = output.narrow(-1, start, count);
            target.copy_(part);
        }
        return output;
    }

    /// <summary>g W for a W that <paramref name="block"/> writes a block of rows at a time.</summary>
    internal static Tensor BlockedBackward(Tensor gradOutput, long rows, long columns, RowBlock block)
    {
        Tensor? sum = null;
        foreach (var (start, count) in Blocks(rows, columns))
        {
            using var slice = gradOutput.narrow(-1, start, count);
            var part = slice.matmul(block(start, count));
            if (sum is null) sum = part;
            else
            {
                sum.add_(part);
                part.Dispose();
            }
        }
        return sum!;
    }

    private sealed class WidenedProduct : autograd.SingleTensorFunction<WidenedProduct>
    {
        public override string Name => nameof(WidenedProduct);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, weight) = ((Tensor)vars[0], (Tensor)vars[1]);
            ctx.save_data("weight", weight);
            return WidenedLinear(x, weight);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput) =>
            [WidenedBackward(gradOutput, (Tensor)ctx.get_data("weight")), null!];
    }
}
