using System.Globalization;
using System.Text;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Cleaning;

/// <summary>summary.md: what a person reads to see what Clean did to their data.</summary>
internal static class CleanSummary
{
    public static string Render(CleanStats stats, CleanSpec clean, IEnumerable<ConflictGroup> conflicts)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine("# Clean summary").AppendLine();
        var share = stats.Input == 0 ? 0 : 100.0 * stats.Rejected / stats.Input;
        text.AppendLine(culture, $"{stats.Kept:N0} of {stats.Input:N0} records kept, {stats.Rejected:N0} rejected ({share:0.0}%). Every rejected record is in rejects.jsonl with its reason and source line.").AppendLine();
        if (stats.Files.Count > 1)
        {
            text.AppendLine("| file | records |").AppendLine("|---|---:|");
            foreach (var (file, records) in stats.Files) text.AppendLine(culture, $"| {file} | {records:N0} |");
            text.AppendLine();
        }

        text.AppendLine("## Rejected by reason").AppendLine();
        if (stats.RejectedByReason.Count == 0) text.AppendLine("Nothing was rejected.");
        else
        {
            text.AppendLine("| reason | records | first at |").AppendLine("|---|---:|---|");
            foreach (var (reason, count, example) in stats.RejectedByReason) text.AppendLine(culture, $"| {reason} | {count:N0} | {example} |");
        }
        text.AppendLine();

        text.AppendLine("## By category").AppendLine();
        text.AppendLine("| category | input | kept | rejected |").AppendLine("|---|---:|---:|---:|");
        foreach (var (category, input, kept, rejected) in stats.ByCategory) text.AppendLine(culture, $"| {Escape(category)} | {input:N0} | {kept:N0} | {rejected:N0} |");
        text.AppendLine();

        Distribution(text, "Length of kept records (characters, prompt + answer)", stats.CharsOfKept);
        if (stats.TokensOfKept is { } tokens) Distribution(text, "Length of kept records (tokens)", tokens);

        if (stats.ConflictGroups > 0)
        {
            var policy = clean.OnConflict switch { ConflictPolicy.Report => "all kept, kept together by Split", ConflictPolicy.KeepFirst => "the first kept", _ => "all rejected" };
            text.AppendLine("## Conflicting answers").AppendLine();
            text.AppendLine(culture, $"{stats.ConflictGroups:N0} prompts have different answers ({stats.ConflictRecords:N0} records; clean.on_conflict: {policy}). All of them are in conflicts.jsonl.").AppendLine();
            foreach (var group in conflicts.Take(10))
            {
                text.AppendLine(culture, $"- **{Escape(Shorten(group.Prompt ?? "", 60))}**");
                foreach (var member in group.Members) text.AppendLine(culture, $"  - `{member.Id}` ({member.Source}{(member.Kept ? "" : ", rejected")}): {Escape(Shorten(member.Answer, 80))}");
            }
            text.AppendLine();
        }

        if (stats.Redactions.Count > 0)
        {
            text.AppendLine("## Personal data redacted").AppendLine();
            text.AppendLine("| kind | replaced |").AppendLine("|---|---:|");
            foreach (var (kind, count) in stats.Redactions) text.AppendLine(culture, $"| {Pii.PiiMatch.Placeholder(kind)} | {count:N0} |");
            text.AppendLine();
        }
        if (stats.RenamedIds > 0)
            text.AppendLine(culture, $"{stats.RenamedIds:N0} kept records repeated an earlier record's id; they were renamed id@file:line so every id is unique.").AppendLine();
        return text.ToString();
    }

    static void Distribution(StringBuilder text, string title, LengthDistribution d)
    {
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"## {title}").AppendLine();
        if (d.Count == 0)
        {
            text.AppendLine("No records were kept.").AppendLine();
            return;
        }
        text.AppendLine("| min | p10 | median | p90 | p99 | max | mean |").AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine(culture, $"| {d.Min} | {d.P10} | {d.P50} | {d.P90} | {d.P99} | {d.Max} | {d.Mean:0.0} |").AppendLine();
        var largest = d.Histogram.Max(h => h.Count);
        text.AppendLine("```");
        var lower = 0;
        foreach (var (upTo, count) in d.Histogram)
        {
            var label = upTo == int.MaxValue ? $"> {lower}" : $"{lower + 1}–{upTo}";
            var bar = new string('#', largest == 0 ? 0 : (int)Math.Ceiling(40.0 * count / largest));
            text.AppendLine(culture, $"{label,12} {count,9:N0} {bar}");
            lower = upTo;
        }
        text.AppendLine("```").AppendLine();
    }

    static string Shorten(string text, int length)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= length ? line : line[..(length - 1)] + "…";
    }

    static string Escape(string text) => text.Replace("|", "\\|");
}
