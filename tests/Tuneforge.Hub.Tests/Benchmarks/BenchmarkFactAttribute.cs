namespace Tuneforge.Hub.Tests.Benchmarks;

/// <summary>A benchmark, skipped (with the reason shown) unless TUNEFORGE_BENCH=1: figures, not a test.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TUNEFORGE_BENCH") != "1")
            Skip = "benchmark: run with TUNEFORGE_BENCH=1";
    }
}
