using System.Globalization;
using System.Text;

namespace Tuneforge.TestSupport.Fuzzing;

/// <summary>What a campaign found: counts per outcome, the largest allocation, and the findings grouped by their kind and
/// where they were thrown (the first case of each group with its input, to replay it).</summary>
public sealed class FuzzReport(string reader)
{
    readonly Dictionary<string, (int Count, string First)> findings = [];

    public string Reader { get; } = reader;
    public int Cases { get; private set; }
    public int Accepted { get; private set; }
    public int TypedErrors { get; private set; }
    public int Findings { get; private set; }
    public long LargestAllocation { get; private set; }
    public long LargestAllocationFileBytes { get; private set; }
    public TimeSpan Elapsed { get; internal set; }

    internal void Add(int index, byte[] bytes, FuzzOutcome outcome)
    {
        Cases++;
        if (outcome.Allocated > LargestAllocation) (LargestAllocation, LargestAllocationFileBytes) = (outcome.Allocated, bytes.Length);
        switch (outcome.Kind)
        {
            case FuzzOutcomeKind.Accepted: Accepted++; break;
            case FuzzOutcomeKind.TypedError: TypedErrors++; break;
            default:
                Findings++;
                var frame = outcome.Exception?.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Tuneforge", StringComparison.Ordinal))?.Trim() ?? "";
                var key = $"{outcome.Kind} {outcome.Exception?.GetType().Name} {frame}";
                var first = $"{outcome.Kind} (case {index}, {bytes.Length} bytes): {outcome.Problem}\n    {frame}\n    input (base64): {Convert.ToBase64String(bytes.Length <= 2048 ? bytes : bytes[..2048])}";
                findings[key] = findings.TryGetValue(key, out var known) ? (known.Count + 1, known.First) : (1, first);
                break;
        }
    }

    /// <summary>One line for the log: cases, typed errors, accepted, findings, the largest allocation and the time.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Reader}: {Cases} cases, {TypedErrors} typed errors, {Accepted} accepted, {Findings} findings; largest allocation {LargestAllocation / 1024.0:N0} KiB (a {LargestAllocationFileBytes:N0}-byte file); {Elapsed.TotalSeconds:0.0} s");

    public string Describe()
    {
        var text = new StringBuilder(Summary);
        foreach (var (count, first) in findings.Values) text.Append(CultureInfo.InvariantCulture, $"\n{count} × {first}");
        return text.ToString();
    }
}
