namespace Tuneforge.Engine.Training;

/// <summary>The peak resident set size of each step of a stage: after a step its peak is read and the counter started over.</summary>
public sealed class StepPeaks
{
    private readonly Dictionary<string, long> _peaks = new(StringComparer.Ordinal);
    private readonly bool _resettable = ProcessMemory.ResetPeak();

    /// <summary>Step name to its peak RSS in bytes; without a resettable counter, the process's peak so far.</summary>
    public IReadOnlyDictionary<string, long> ByStep => _peaks;

    public long? Overall => _peaks.Count == 0 ? ProcessMemory.PeakRssBytes() : Math.Max(_peaks.Values.Max(), ProcessMemory.PeakRssBytes() ?? 0);

    public void EndOf(string step)
    {
        if (ProcessMemory.PeakRssBytes() is not { } peak) return;
        _peaks[step] = peak;
        ProcessMemory.ReturnFreedMemory();   // what the step freed must not count for the next one
        if (_resettable) ProcessMemory.ResetPeak();
    }
}
