using System.Diagnostics;

namespace Tuneforge.Text.Bench;

/// <summary>Times repeated passes of an action over a fixed amount of text and reports the median rate.</summary>
internal static class Throughput
{
    /// <summary>Median MB/s (10^6 bytes) over <paramref name="repeats"/> runs of at least <paramref name="seconds"/> each.</summary>
    public static double MedianMegabytesPerSecond(long bytesPerPass, Action pass, double seconds, int repeats)
    {
        pass(); // warm-up: JIT and the tokenizer's word cache
        var rates = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            int passes = 0;
            var watch = Stopwatch.StartNew();
            do
            {
                pass();
                passes++;
            }
            while (watch.Elapsed.TotalSeconds < seconds);

            rates.Add(bytesPerPass * (double)passes / watch.Elapsed.TotalSeconds / 1e6);
        }

        rates.Sort();
        return rates[rates.Count / 2];
    }

    /// <summary>One timed pass, for the cold (first, uncached) rate.</summary>
    public static double OnceMegabytesPerSecond(long bytes, Action pass)
    {
        var watch = Stopwatch.StartNew();
        pass();
        return bytes / watch.Elapsed.TotalSeconds / 1e6;
    }
}
