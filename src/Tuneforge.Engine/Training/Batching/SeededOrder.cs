namespace Tuneforge.Engine.Training.Batching;

/// <summary>
/// Permutations from a seed and an epoch, by SplitMix64 and Fisher–Yates: the same on every machine and .NET version,
/// so a resumed run sees the examples in the same order.
/// </summary>
public static class SeededOrder
{
    public static int[] Permutation(int count, long seed, int epoch)
    {
        var state = (ulong)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)epoch + 1) * 0xBF58476D1CE4E5B9UL;
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = count - 1; i > 0; i--)
        {
            var j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
