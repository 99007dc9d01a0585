using Tuneforge.Targets;

partial class Build
{
    [Parameter("Cache entries to keep per target when pruning. Default is 3.")]
    readonly int Keep = 3;

    Target Prune => _ => _
        .Description("Removes old cache entries: keeps the newest --keep per target and those artifacts/ points at")
        .Executes(() =>
        {
            var result = CachePruner.Prune(CacheDirectory, Keep, PublishedEntries.Under(RootDirectory / "artifacts"));
            Log.Information($"Removed {result.EntriesRemoved} entries and {result.StagingRemoved} unfinished working folders ({result.BytesFreed / 1048576.0:0.0} MiB).");
            ReportSummary(("removed", result.EntriesRemoved.ToString()), ("freed", $"{result.BytesFreed / 1048576.0:0.0} MiB"));
        });
}
