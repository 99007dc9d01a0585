using System.Globalization;
using System.Text;
using System.Text.Json;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Cleaning;

/// <summary>Fails a Clean that kept fewer than clean.min_records, saying what was read, what was rejected and why (counts
/// and the first record of each reason) and where every reject is. It reads the stage's own outputs (stats.json,
/// rejects.jsonl), so a cached Clean is checked the same way.</summary>
internal static class KeptRecordsCheck
{
    // Reasons that a clean.* setting decides, and the setting to look at.
    static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["too_short"] = "clean.min_chars",
        ["too_long"] = "clean.max_chars",
        ["too_few_tokens"] = "clean.min_tokens",
        ["too_many_tokens"] = "clean.max_tokens",
        ["exact_duplicate"] = "clean.dedupe_exact",
        ["near_duplicate"] = "clean.near_dedupe",
        ["conflicting_answer"] = "clean.on_conflict",
    };

    public static void Check(string cleanDirectory, CleanSpec clean, string shownDirectory, IReadOnlyList<string> sourceFiles)
    {
        using var stats = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(cleanDirectory, CleanOutputs.StatsFile)));
        var root = stats.RootElement;
        var (input, kept) = (root.GetProperty("input").GetInt32(), root.GetProperty("kept").GetInt32());
        if (kept >= clean.MinRecords) return;

        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        if (input == 0)
        {
            var files = sourceFiles.Count == 1 ? sourceFiles[0] : $"{sourceFiles.Count} files: {string.Join(", ", sourceFiles)}";
            text.Append(culture, $"Clean read no records from data.sources ({files}): there is nothing to train on.\n");
            text.Append("  A .json data file holds an array of records ([ {...}, {...} ]), a .jsonl file one record per line; add records, or point data.sources at your data.");
            throw new DataException(text.ToString());
        }

        text.Append(culture, $"Clean kept {kept:N0} of {input:N0} records, fewer than clean.min_records ({clean.MinRecords:N0}): {(kept == 0 ? "there is nothing to train on" : "too few to train on")}.\n");
        text.Append("  Rejected, by reason (the first record of each):\n");
        var reasons = root.GetProperty("rejected_by_reason").EnumerateObject().Select(r => (Reason: r.Name, Count: r.Value.GetInt32())).ToList();
        var firsts = FirstRejects(Path.Combine(cleanDirectory, CleanOutputs.RejectsFile), reasons.Count);
        var width = reasons.Max(r => r.Reason.Length);
        foreach (var (reason, count) in reasons)
        {
            var first = firsts.TryGetValue(reason, out var example) ? $"  {example}" : "";
            var setting = Settings.TryGetValue(reason, out var key) ? $" [{key}]" : "";
            text.Append(culture, $"    {reason.PadRight(width)} {count,7:N0}{setting}{first}\n");
        }
        text.Append(culture, $"  Every rejected record, with its reason and source line: {Path.Combine(shownDirectory, CleanOutputs.RejectsFile)} (summary.md beside it).\n");
        text.Append("  Fix those records, or relax the setting named beside a reason, and run again.");
        throw new DataException(text.ToString());
    }

    // "file:line: detail" of the first reject of each reason; stops once every reason has one.
    static Dictionary<string, string> FirstRejects(string rejectsFile, int reasons)
    {
        var firsts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(rejectsFile)) return firsts;
        foreach (var line in File.ReadLines(rejectsFile))
        {
            if (firsts.Count == reasons) break;
            if (line.Length == 0) continue;
            using var reject = JsonDocument.Parse(line);
            var reason = reject.RootElement.GetProperty("reason").GetString()!;
            if (firsts.ContainsKey(reason)) continue;
            var source = reject.RootElement.GetProperty("source");
            firsts[reason] = $"{source.GetProperty("file").GetString()}:{source.GetProperty("line").GetInt32()}: {reject.RootElement.GetProperty("detail").GetString()}";
        }
        return firsts;
    }
}
