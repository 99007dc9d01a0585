namespace Tuneforge.Data.Cleaning.Dedupe;

/// <summary>The shingle sets of the items in an <see cref="LshIndex"/>, packed in large blocks (no object per
/// item), so candidates can be verified with their exact Jaccard similarity.</summary>
public sealed class ShingleStore
{
    const int BlockSize = 1 << 20;
    readonly List<uint[]> blocks = [];
    readonly List<(int Block, int Offset, int Length)> items = [];
    int blockUsed = BlockSize;

    public int Count => items.Count;

    public void Add(ReadOnlySpan<uint> shingles)
    {
        if (shingles.Length > BlockSize - blockUsed)
        {
            blocks.Add(new uint[Math.Max(BlockSize, shingles.Length)]);
            blockUsed = 0;
        }
        shingles.CopyTo(blocks[^1].AsSpan(blockUsed));
        items.Add((blocks.Count - 1, blockUsed, shingles.Length));
        blockUsed += shingles.Length;
        if (blocks[^1].Length > BlockSize) blockUsed = BlockSize; // an oversized block holds one item
    }

    public ReadOnlySpan<uint> Get(int item)
    {
        var (block, offset, length) = items[item];
        return blocks[block].AsSpan(offset, length);
    }
}
