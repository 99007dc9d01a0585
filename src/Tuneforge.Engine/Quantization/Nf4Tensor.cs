using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization;

/// <summary>
/// A tensor in 4-bit NF4, blockwise as bitsandbytes: the flattened values in blocks of <see cref="BlockSize"/>, each
/// block scaled by its absmax (float32) and rounded to the nearest <see cref="Nf4Code"/> level, two 4-bit indices per
/// byte (first in the high nibble). 0.5 byte per value plus 4 bytes per block; with double quantization the absmax
/// values themselves are stored as bitsandbytes does (their mean, then 8-bit dynamic codes in blocks of 256): ~1 byte per block.
/// </summary>
public sealed class Nf4Tensor : IDisposable
{
    // Quantizing holds a few float32 and int64 copies of what it works on: blocks of this many values bound them.
    private const long ChunkValues = 1 << 20;

    private const int NestedBlockSize = 256;

    private Nf4Tensor(Tensor packed, Tensor absmax, long[] shape, int blockSize, NestedAbsmax? nested = null)
    {
        Packed = packed;
        Absmax = absmax;
        Shape = shape;
        BlockSize = blockSize;
        Nested = nested;
    }

    /// <summary>Double-quantized absmax: 8-bit codes, a float32 scale per 256 codes, and the subtracted mean.</summary>
    public sealed record NestedAbsmax(Tensor Codes, Tensor Scales, float Offset);

    public NestedAbsmax? Nested { get; }

    /// <summary>uint8, [blocks · blockSize / 2].</summary>
    public Tensor Packed { get; }
    /// <summary>float32, [blocks]; empty when <see cref="Nested"/> holds them.</summary>
    public Tensor Absmax { get; }
    public long[] Shape { get; }
    public int BlockSize { get; }
    public long NumberOfElements => Shape.Aggregate(1L, (a, b) => a * b);
    public long StorageBytes => Packed.NumberOfElements + Absmax.NumberOfElements * 4
                                + (Nested is { } n ? n.Codes.NumberOfElements + n.Scales.NumberOfElements * 4 + 4 : 0);

    public static Nf4Tensor Quantize(Tensor weight, int blockSize = 64, bool doubleQuant = false)
    {
        if (blockSize < 2 || blockSize % 2 != 0) throw new ArgumentException($"NF4 block size {blockSize} must be even and at least 2");
        using var _ = no_grad();
        var count = weight.NumberOfElements;
        var blocks = (count + blockSize - 1) / blockSize;
        var device = weight.device;
        var packed = empty([blocks * blockSize / 2], ScalarType.Byte, device);
        var absmax = empty([blocks], ScalarType.Float32, device);
        using (var scope = NewDisposeScope())
        {
            var flat = weight.detach().reshape(-1);
            var midpoints = tensor(Nf4Code.Midpoints, device: device);
            var chunkBlocks = Math.Max(1, ChunkValues / blockSize);
            for (long first = 0; first < blocks; first += chunkBlocks)
            {
                using var chunkScope = NewDisposeScope();
                var blockCount = Math.Min(chunkBlocks, blocks - first);
                var start = first * blockSize;
                var available = Math.Min(blockCount * blockSize, count - start);
                var values = flat.narrow(0, start, available).to_type(ScalarType.Float32);
                if (available < blockCount * blockSize) values = cat([values, zeros(blockCount * blockSize - available, device: device)]);
                var grid = values.view(blockCount, blockSize);
                var scale = grid.abs().amax([1]);                                              // (blocks)
                absmax.narrow(0, first, blockCount).copy_(scale);
                var divisor = where(scale > 0, scale, ones_like(scale)).unsqueeze(1);
                var indices = (grid / divisor).bucketize(midpoints, outInt32: false, right: false).view(-1, 2); // (n/2, 2)
                var bytes = indices.select(1, 0).mul(16).add_(indices.select(1, 1)).to_type(ScalarType.Byte);
                packed.narrow(0, start / 2, blockCount * blockSize / 2).copy_(bytes);
            }
        }
        if (!doubleQuant) return new Nf4Tensor(packed, absmax, weight.shape, blockSize);
        var nested = QuantizeAbsmax(absmax);
        absmax.Dispose();
        return new Nf4Tensor(packed, empty(0), weight.shape, blockSize, nested);
    }

    // bitsandbytes' compress_statistics: subtract the mean, then blockwise 8-bit with the dynamic code.
    private static NestedAbsmax QuantizeAbsmax(Tensor absmax)
    {
        using var scope = NewDisposeScope();
        var offset = absmax.mean().item<float>();
        var count = absmax.shape[0];
        var blocks = (count + NestedBlockSize - 1) / NestedBlockSize;
        var centered = absmax - offset;
        if (blocks * NestedBlockSize > count) centered = cat([centered, zeros(blocks * NestedBlockSize - count, device: absmax.device)]);
        var grid = centered.view(blocks, NestedBlockSize);
        var scales = grid.abs().amax([1]);
        var divisor = where(scales > 0, scales, ones_like(scales)).unsqueeze(1);
        var codes = (grid / divisor).bucketize(tensor(Nf4DynamicCode.Midpoints, device: absmax.device), outInt32: false, right: false)
            .view(-1).narrow(0, 0, count).to_type(ScalarType.Byte);
        return new NestedAbsmax(codes.MoveToOuterDisposeScope(), scales.MoveToOuterDisposeScope(), offset);
    }

    /// <summary>The per-block absmax values (restored from their codes when double-quantized).</summary>
    public Tensor BlockAbsmax() => BlockAbsmax(0, Blocks);

    private long Blocks => Packed.shape[0] * 2 / BlockSize;

    private Tensor BlockAbsmax(long first, long count)
    {
        if (Nested is not { } nested) return Absmax.narrow(0, first, count);
        using var scope = NewDisposeScope();
        var codes = nested.Codes.narrow(0, first, count).to_type(ScalarType.Int64);
        var values = tensor(Nf4DynamicCode.Values.ToArray(), device: codes.device).index_select(0, codes);
        var firstScale = first / NestedBlockSize;
        var scaleCount = (first + count - 1) / NestedBlockSize - firstScale + 1;
        var scales = nested.Scales.narrow(0, firstScale, scaleCount).repeat_interleave(NestedBlockSize)
            .narrow(0, first - firstScale * NestedBlockSize, count);
        return values.mul_(scales).add_(nested.Offset).MoveToOuterDisposeScope();
    }

    /// <summary>The values back, computed in float32 (level · absmax) and cast to <paramref name="dtype"/>.</summary>
    public Tensor Dequantize(ScalarType dtype) => DequantizeInto(empty(Shape, dtype, Packed.device), 0);

    /// <summary>
    /// The flattened values from <paramref name="firstValue"/> on, as many as <paramref name="destination"/> holds,
    /// written into it (float32 math, cast to its dtype) a chunk of blocks at a time, so a product's weight never needs
    /// more than its destination plus a chunk. Returns <paramref name="destination"/>.
    /// </summary>
    public Tensor DequantizeInto(Tensor destination, long firstValue)
    {
        using var _ = no_grad();
        using var flat = destination.view(-1);
        var count = flat.shape[0];
        if (firstValue < 0 || firstValue + count > NumberOfElements)
            throw new ArgumentOutOfRangeException(nameof(firstValue), $"values {firstValue}..{firstValue + count} of {NumberOfElements}");
        using var pairs = tensor(Nf4Code.BytePairs, device: Packed.device).view(256, 2);
        var chunkBlocks = Math.Max(1, ChunkValues / BlockSize);
        for (long done = 0; done < count;)
        {
            using var scope = NewDisposeScope();
            var value = firstValue + done;
            var block = value / BlockSize;
            var offset = value - block * BlockSize;
            var blocks = Math.Min(chunkBlocks, Blocks - block);
            var take = Math.Min(count - done, blocks * BlockSize - offset);
            var values = pairs.index_select(0, Packed.narrow(0, block * BlockSize / 2, blocks * BlockSize / 2).to_type(ScalarType.Int64))
                .view(blocks, BlockSize)
                .mul_(BlockAbsmax(block, blocks).unsqueeze(1))
                .view(-1)
                .narrow(0, offset, take);
            flat.narrow(0, done, take).copy_(values);
            done += take;
        }
        return destination;
    }

    public void Dispose()
    {
        Packed.Dispose();
        Absmax.Dispose();
        Nested?.Codes.Dispose();
        Nested?.Scales.Dispose();
    }
}
