using System.Diagnostics;

namespace Tuneforge.TestSupport.Fuzzing;

/// <summary>
/// Feeds a reader a few thousand seeded mutations of valid files, one at a time, each written to a file as the reader
/// meets it. A case passes when the reader accepts the file or throws one of its own exception types; any other
/// exception, a case that runs past its timeout, or one that allocates more than its budget (a multiple of the file's
/// length: never what a header declares) is a finding, reported with the case's seed and index to replay it.
/// </summary>
public sealed class FuzzCampaign(string reader, IReadOnlyList<byte[]> seeds, Func<Exception, bool> isTyped)
{
    /// <summary>Seed of the mutations; the same seed, files and count give the same cases.</summary>
    public int Seed { get; init; } = 20261201;
    public int Cases { get; init; } = 3000;
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most a case may allocate (on the reading thread): this many bytes per byte of the file, plus <see cref="AllocationSlack"/>.</summary>
    public double AllocationPerByte { get; init; } = 64;
    public long AllocationSlack { get; init; } = 8 << 20;

    /// <summary>The file name the cases are written to (readers may look at the extension).</summary>
    public string FileName { get; init; } = "case.bin";

    /// <summary>Runs every case: <paramref name="read"/> gets the path of the case's file.</summary>
    public FuzzReport Run(Action<string> read)
    {
        var directory = Directory.CreateTempSubdirectory("tuneforge-fuzz-").FullName;
        var report = new FuzzReport(reader);
        var clock = Stopwatch.StartNew();
        try
        {
            var path = Path.Combine(directory, FileName);
            for (var index = 0; index < Cases; index++)
            {
                var seed = seeds[index % seeds.Count];
                var bytes = index < seeds.Count ? seed : Mutator.Mutate(seed, Seed, index); // the seeds themselves first
                File.WriteAllBytes(path, bytes);
                var outcome = RunCase(read, path, bytes.Length);
                report.Add(index, bytes, outcome);
                if (outcome.Kind == FuzzOutcomeKind.Hang) break; // its thread is stuck; the rest would queue behind it
            }
        }
        finally
        {
            report.Elapsed = clock.Elapsed;
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
        return report;
    }

    FuzzOutcome RunCase(Action<string> read, string path, long length)
    {
        var budget = (long)(AllocationPerByte * length) + AllocationSlack;
        var work = Task.Factory.StartNew(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Exception? error = null;
            try
            {
                read(path);
            }
            catch (Exception e)
            {
                error = e;
            }
            return (Allocated: GC.GetAllocatedBytesForCurrentThread() - before, Error: error);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!work.Wait(CaseTimeout)) return new FuzzOutcome(FuzzOutcomeKind.Hang, null, 0, $"no answer within {CaseTimeout.TotalSeconds:0} s");
        var (allocated, exception) = work.Result;
        if (allocated > budget)
            return new FuzzOutcome(FuzzOutcomeKind.OverAllocation, exception, allocated, $"allocated {allocated:N0} bytes for a {length:N0}-byte file (budget {budget:N0})");
        if (exception is null) return new FuzzOutcome(FuzzOutcomeKind.Accepted, null, allocated, null);
        return isTyped(exception)
            ? new FuzzOutcome(FuzzOutcomeKind.TypedError, exception, allocated, null)
            : new FuzzOutcome(FuzzOutcomeKind.Crash, exception, allocated, $"{exception.GetType().Name}: {exception.Message}");
    }
}

public enum FuzzOutcomeKind { Accepted, TypedError, Crash, Hang, OverAllocation }

public sealed record FuzzOutcome(FuzzOutcomeKind Kind, Exception? Exception, long Allocated, string? Problem);
