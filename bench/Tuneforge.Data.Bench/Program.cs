using System.Diagnostics;
using System.Globalization;
using Tuneforge.Data;
using Tuneforge.Data.Bench;
using Tuneforge.Pipeline.Spec;

// Clean on synthetic records with near-duplicate detection on: records/s and peak memory per size.
//   dotnet run -c Release --project bench/Tuneforge.Data.Bench                 250k, 500k and 1M, each in its own process
//   dotnet run -c Release --project bench/Tuneforge.Data.Bench -- --records 1000000 [--pii]
//   dotnet run -c Release --project bench/Tuneforge.Data.Bench -- --phases 100000      µs per record of each step
//   dotnet run -c Release --project bench/Tuneforge.Data.Bench -- --formats 200000     the same records as JSONL, CSV and Parquet
var argsList = args.ToList();
if (argsList is ["--formats", var formatCount])
{
    FormatBench.Run(int.Parse(formatCount, CultureInfo.InvariantCulture));
    return;
}
var pii = argsList.Remove("--pii");
if (argsList is ["--phases", var phaseCount])
{
    var sample = Path.Combine(Path.GetTempPath(), $"tuneforge-data-phases-{Environment.ProcessId}.jsonl");
    SyntheticRecords.Write(sample, int.Parse(phaseCount, CultureInfo.InvariantCulture), seed: 12345);
    Phases.Run(sample, int.MaxValue);
    File.Delete(sample);
    return;
}
if (argsList is ["--records", var countText, ..])
{
    var file = argsList.Count > 2 ? argsList[2] : null;
    RunOne(int.Parse(countText, CultureInfo.InvariantCulture), file, pii);
    return;
}

var sizes = argsList.Count > 0 ? argsList.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [250_000, 500_000, 1_000_000];
var work = Path.Combine(Path.GetTempPath(), $"tuneforge-data-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
Console.WriteLine($"Clean with near-duplicate detection (threshold 0.85, 5-grams, 128 permutations){(pii ? " and PII redaction" : "")}; {Environment.ProcessorCount} cores");
Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| records | input MiB | seconds | records/s | CPU seconds | CPU µs/record | peak RSS MiB | RSS bytes/record | kept | rejected |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
try
{
    foreach (var size in sizes)
    {
        var input = Path.Combine(work, $"synthetic-{size}.jsonl");
        SyntheticRecords.Write(input, size, seed: 12345);
        // A process per size, so its peak memory is its own.
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(SyntheticRecords).Assembly.Location);
        foreach (var a in new[] { "--records", size.ToString(CultureInfo.InvariantCulture), input }) start.ArgumentList.Add(a);
        if (pii) start.ArgumentList.Add("--pii");
        using var child = Process.Start(start)!;
        Console.WriteLine(child.StandardOutput.ReadToEnd().TrimEnd());
        child.WaitForExit();
        File.Delete(input);
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

static void RunOne(int count, string? input, bool pii)
{
    var root = Path.GetDirectoryName(input) ?? Path.GetTempPath();
    if (input is null)
    {
        input = Path.Combine(root, $"tuneforge-data-bench-{Environment.ProcessId}.jsonl");
        SyntheticRecords.Write(input, count, seed: 12345);
    }
    var output = Path.Combine(root, $"out-{count}");
    var clean = new CleanSpec { RedactPii = new PiiSpec { Enabled = pii } };
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var result = DataStages.Clean(new CleanRequest(new DataSpec { Sources = [input] }, clean, root, output));
    watch.Stop();
    process.Refresh();
    var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
    var peak = PeakResidentBytes();
    var inputMiB = new FileInfo(input).Length / 1048576.0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {count:N0} | {inputMiB:0} | {watch.Elapsed.TotalSeconds:0.00} | {count / watch.Elapsed.TotalSeconds:N0} | {cpu:0.00} | {cpu * 1e6 / count:0.0} | {peak / 1048576.0:0} | {peak / (double)count:0} | {result.Stats.Kept:N0} | {result.Stats.Rejected:N0} |"));
    Directory.Delete(output, recursive: true);
    if (Environment.GetEnvironmentVariable("TUNEFORGE_BENCH_GC") == "1")
        Console.Error.WriteLine($"GC pause {GC.GetTotalPauseDuration().TotalSeconds:0.00}s, collections gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, allocated {GC.GetTotalAllocatedBytes() / 1048576} MiB");
}

// VmHWM: the peak resident set of this process, as the kernel counts it.
static long PeakResidentBytes()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    return Environment.WorkingSet;
}
