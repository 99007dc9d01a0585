using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization;

/// <summary>
/// A tensor in 4-bit NF4, blockwise as bitsandbytes: the flattened values in blocks of <see cref="BlockSize"/>, each
/// block scaled by its absmax (float32) and rounded to the nearest <see cref="Nf4Code"/> level, two 4-bit indices per
/// byte (first in the high nibble). 0.5 byte per value plus 4 bytes per block.
/// </summary>
public sealed class Nf4Tensor : IDisposable
{
    // Quantizing holds a few float32 and int64 copies of what it works on: blocks of this many values bound them.
    private const long ChunkValues = 1 << 22;

    private Nf4Tensor(Tensor packed, Tensor absmax, long[] shape, int blockSize)
    {
        Packed = packed;
        Absmax = absmax;
        Shape = shape;
        BlockSize = blockSize;
    }

    /// <summary>uint8, [blocks · blockSize / 2].</summary>
    public Tensor Packed { get; }
    /// <summary>float32, [blocks].</summary>
    public Tensor Absmax { get; }
    public long[] Shape { get; }
    public int BlockSize { get; }
    public long NumberOfElements => Shape.Aggregate(1L, (a, b) => a * b);
    public long StorageBytes => Packed.NumberOfElements + Absmax.NumberOfElements * 4;

    public static Nf4Tensor Quantize(Tensor weight, int blockSize = 64)
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
        return new Nf4Tensor(packed, absmax, weight.shape, blockSize);
    }

    /// <summary>The values back, computed in float32 (level · absmax) and cast to <paramref name="dtype"/>.</summary>
    public Tensor Dequantize(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var pairs = tensor(Nf4Code.BytePairs, device: Packed.device).view(256, 2);
        var values = pairs.index_select(0, Packed.to_type(ScalarType.Int64))             // (n/2, 2)
            .view(-1, BlockSize)
            .mul_(Absmax.unsqueeze(1))                                                     // (blocks, blockSize)
            .view(-1);
        var count = NumberOfElements;
        if (values.shape[0] != count) values = values.narrow(0, 0, count);
        return values.view(Shape).to_type(dtype).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Packed.Dispose();
        Absmax.Dispose();
    }
}
