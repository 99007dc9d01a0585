using System.Globalization;

namespace Tuneforge.Engine.Training.Checkpointing;

/// <summary>
/// <c>checkpoints/checkpoint-N/</c> folders: each written whole into a hidden staging folder and renamed, so a kill
/// leaves either a complete checkpoint or a staging folder that the next run deletes.
/// </summary>
public sealed class CheckpointStore(string directory)
{
    private const string Prefix = "checkpoint-";
    private const string StagingPrefix = ".staging-";

    public string Directory { get; } = directory;

    public string PathOf(int step) => Path.Combine(Directory, Prefix + step.ToString(CultureInfo.InvariantCulture));

    /// <summary>Steps of the complete checkpoints, ascending.</summary>
    public IReadOnlyList<int> Steps()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.EnumerateDirectories(Directory, Prefix + "*")
            .Select(path => (Path: path, Name: Path.GetFileName(path)))
            .Where(d => int.TryParse(d.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _)
                        && File.Exists(Path.Combine(d.Path, TrainerState.FileName)))
            .Select(d => int.Parse(d.Name.AsSpan(Prefix.Length), CultureInfo.InvariantCulture))
            .Order()
            .ToList();
    }

    /// <summary>Removes staging folders of interrupted saves.</summary>
    public int DeleteUnfinished()
    {
        if (!System.IO.Directory.Exists(Directory)) return 0;
        var unfinished = System.IO.Directory.EnumerateDirectories(Directory, StagingPrefix + "*").ToList();
        foreach (var folder in unfinished) System.IO.Directory.Delete(folder, recursive: true);
        return unfinished.Count;
    }

    /// <summary>Writes a checkpoint: <paramref name="write"/> fills a staging folder, which is then renamed.</summary>
    public string Save(int step, Action<string> write)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var staging = Path.Combine(Directory, $"{StagingPrefix}{step}-{Environment.ProcessId}");
        if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
        System.IO.Directory.CreateDirectory(staging);
        write(staging);
        var target = PathOf(step);
        if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(target, recursive: true);
        System.IO.Directory.Move(staging, target);
        return target;
    }

    /// <summary>
    /// Deletes the oldest checkpoints beyond <paramref name="limit"/>, never the best one nor the latest (which a
    /// resume needs); returns the steps deleted.
    /// </summary>
    public IReadOnlyList<int> Rotate(int? limit, int? bestStep)
    {
        if (limit is not { } keep) return [];
        var steps = Steps();
        if (steps.Count == 0) return [];
        var protectedSteps = new HashSet<int> { steps[^1] };
        if (bestStep is { } best && steps.Contains(best)) protectedSteps.Add(best);
        var allowed = Math.Max(keep, protectedSteps.Count);
        var deleted = new List<int>();
        var remaining = steps.Count;
        foreach (var step in steps)
        {
            if (remaining <= allowed) break;
            if (protectedSteps.Contains(step)) continue;
            System.IO.Directory.Delete(PathOf(step), recursive: true);
            deleted.Add(step);
            remaining--;
        }
        return deleted;
    }
}
