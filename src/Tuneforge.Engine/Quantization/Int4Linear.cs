using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using Tuneforge.Engine.Models.Layers;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization;

/// <summary>
/// A linear layer with 4-bit weights in groups of G input values: W ≈ q·s + m per group, q in 0..15,
/// s = (max − min) / 15 and m = min stored as float16 (so 4 + 32/G bits per weight). Two values share a byte,
/// the even column in the low nibble. Forward unpacks and dequantizes a block of rows at a time into the compute dtype.
/// Names as stored: <c>weight_packed</c> (U8 [out, in/2]), <c>weight_scale</c> and <c>weight_min</c> (F16 [out, in/G]), <c>bias</c>.
/// </summary>
public sealed class Int4Linear : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight_packed")] private readonly Parameter _packed;
    [ComponentName(Name = "weight_scale")] private readonly Parameter _scale;
    [ComponentName(Name = "weight_min")] private readonly Parameter _min;
    [ComponentName(Name = "bias")] private readonly Parameter? _bias;

    private Int4Linear(Tensor packed, Tensor scale, Tensor min, Tensor? bias, int groupSize) : base(nameof(Int4Linear))
    {
        GroupSize = groupSize;
        _packed = new Parameter(packed, requires_grad: false);
        _scale = new Parameter(scale, requires_grad: false);
        _min = new Parameter(min, requires_grad: false);
        register_parameter("weight_packed", _packed);
        register_parameter("weight_scale", _scale);
        register_parameter("weight_min", _min);
        if (bias is not null)
        {
            _bias = new Parameter(bias, requires_grad: false);
            register_parameter("bias", _bias);
        }
    }

    public int GroupSize { get; }
    public long InFeatures => _packed.shape[1] * 2;
    public long OutFeatures => _packed.shape[0];

    /// <summary>Quantizes a float weight [out, in]; <c>in</c> must be a multiple of <paramref name="groupSize"/>.</summary>
    public static Int4Linear FromWeight(Tensor weight, Tensor? bias, int groupSize)
    {
        var (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1]);
        if (inFeatures % groupSize != 0)
            throw new ArgumentException($"int4: {inFeatures} input features are not a multiple of the group size {groupSize}");
        using var scope = NewDisposeScope();
        var groups = weight.detach().to_type(ScalarType.Float32).reshape(outFeatures, inFeatures / groupSize, groupSize);
        // Scale and minimum are rounded to float16 first, so the codes are chosen for the values that are stored.
        var min = groups.amin([2]).to_type(ScalarType.Float16);                                   // (out, in/G)
        var scale = ((groups.amax([2]) - min.to_type(ScalarType.Float32)) / 15f).to_type(ScalarType.Float16);
        var divisor = scale.to_type(ScalarType.Float32);
        divisor = where(divisor.gt(0), divisor, ones_like(divisor)).unsqueeze(2);
        var q = ((groups - min.to_type(ScalarType.Float32).unsqueeze(2)) / divisor).round().clamp(0, 15)
            .to_type(ScalarType.Int32).reshape(outFeatures, inFeatures / 2, 2);
        var packed = (q.select(2, 0) + q.select(2, 1) * 16).to_type(ScalarType.Byte);
        return new Int4Linear(packed.DetachFromDisposeScope(), scale.DetachFromDisposeScope(), min.DetachFromDisposeScope(),
            bias?.detach().clone().DetachFromDisposeScope(), groupSize);
    }

    /// <summary>An empty layer of the right shapes, to load stored weights into.</summary>
    public static Int4Linear Empty(long inFeatures, long outFeatures, bool hasBias, int groupSize, Device device, ScalarType dtype) =>
        new(zeros([outFeatures, inFeatures / 2], ScalarType.Byte, device),
            zeros([outFeatures, inFeatures / groupSize], ScalarType.Float16, device),
            zeros([outFeatures, inFeatures / groupSize], ScalarType.Float16, device),
            hasBias ? zeros([outFeatures], dtype, device) : null, groupSize);

    /// <summary>The weight as the layer computes with it, in <paramref name="dtype"/> [out, in].</summary>
    public Tensor Dequantize(ScalarType dtype = ScalarType.Float32) => DequantizeRows(0, OutFeatures, dtype);

    // Unpacking holds a few int32 and float copies of what it works on: this many values at a time bound them.
    private const long ChunkValues = 1 << 20;

    /// <summary>Rows <paramref name="start"/>.. of the weight written into <paramref name="destination"/> [count, in], a few rows at a time.</summary>
    internal Tensor DequantizeRowsInto(Tensor destination, long start)
    {
        using var _ = no_grad();
        var count = destination.shape[0];
        var step = Math.Max(1, ChunkValues / InFeatures);
        for (long row = 0; row < count; row += step)
        {
            using var scope = NewDisposeScope();
            var rows = Math.Min(step, count - row);
            destination.narrow(0, row, rows).copy_(DequantizeRows(start + row, rows, destination.dtype));
        }
        return destination;
    }

    private Tensor DequantizeRows(long start, long count, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var bytes = _packed.narrow(0, start, count).to_type(ScalarType.Int32);
        var high = bytes.div(16, RoundingMode.floor);
        var low = bytes - high * 16;
        var q = stack([low, high], 2).reshape(count, InFeatures / GroupSize, GroupSize).to_type(dtype);
        var weight = q * _scale.narrow(0, start, count).to_type(dtype).unsqueeze(2) + _min.narrow(0, start, count).to_type(dtype).unsqueeze(2);
        return weight.reshape(count, InFeatures).MoveToOuterDisposeScope();
    }

    // Rows dequantized into this thread's block buffer: never the whole weight's float copy plus its int32 temporaries.
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var product = Projection.BlockedLinear(input, OutFeatures, InFeatures,
            (start, count) => DequantizeRowsInto(Projection.BlockBuffer(count, InFeatures, input.dtype, input.device), start));
        if (_bias is not null) product = product + _bias.to_type(input.dtype);
        return product.MoveToOuterDisposeScope();
    }
}
