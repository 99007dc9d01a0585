namespace Tuneforge.Engine.Quantization;

/// <summary>
/// The 16 levels of 4-bit NormalFloat (QLoRA, Dettmers et al. 2023) exactly as bitsandbytes stores them: quantiles of
/// N(0, 1) scaled to [−1, 1], with an exact zero. A block's values are divided by its absmax and rounded to the nearest level.
/// </summary>
public static class Nf4Code
{
    public static IReadOnlyList<float> Levels { get; } =
    [
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    ];

    /// <summary>The 15 midpoints between neighbouring levels: a value equal to one rounds down, as in bitsandbytes.</summary>
    public static float[] Midpoints { get; } = Enumerable.Range(0, 15).Select(i => (Levels[i] + Levels[i + 1]) / 2).ToArray();

    /// <summary>Half the widest gap between levels: the largest rounding error, as a fraction of the block's absmax.</summary>
    public static double MaxRelativeError { get; } = Enumerable.Range(0, 15).Max(i => (Levels[i + 1] - Levels[i]) / 2.0);

    /// <summary>For each byte, the levels of its high and low nibble (the first of two values is in the high nibble).</summary>
    public static float[] BytePairs { get; } = Enumerable.Range(0, 256).SelectMany(b => new[] { Levels[b >> 4], Levels[b & 15] }).ToArray();
}
