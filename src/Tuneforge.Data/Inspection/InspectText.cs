using System.Globalization;
using System.Text;

namespace Tuneforge.Data.Inspection;

/// <summary>inspect.txt and the log's view: per example, one line per run of prompt, trained and cut-off tokens, tokens
/// separated by │, line breaks shown as ↵.</summary>
internal static class InspectText
{
    const int CutTokensShown = 24;

    public static string Render(InspectResult result)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"{result.Records} train records, template {result.TemplateName}; tokens per record: min {result.Lengths.Min}, median {result.Lengths.P50}, p90 {result.Lengths.P90}, p99 {result.Lengths.P99}, max {result.Lengths.Max}");
        text.AppendLine(culture, $"max_seq_length {result.MaxSeqLength}: {result.Truncated} records truncated ({result.TruncatedTokens} tokens cut), {result.Dropped} left without a trained token");
        text.AppendLine("Legend: prompt = not trained, TRAIN = the loss counts, CUT = beyond max_seq_length.");
        for (var e = 0; e < result.Examples.Count; e++)
        {
            var example = result.Examples[e];
            text.AppendLine();
            var fit = example.Truncated ? $"truncated at {example.MaxSeqLength} ({example.Length - example.MaxSeqLength} tokens cut)" : $"fits in {example.MaxSeqLength}";
            text.AppendLine(culture, $"#{e + 1} {example.Location} (id {example.Id}): {example.Length} tokens, {example.TrainedTokens} trained, {fit}");
            foreach (var run in Runs(example))
            {
                var tokens = run.Kind == "CUT" && run.Tokens.Count > CutTokensShown ? run.Tokens.Take(CutTokensShown) : run.Tokens;
                var more = run.Kind == "CUT" && run.Tokens.Count > CutTokensShown ? $" … {run.Tokens.Count - CutTokensShown} more" : "";
                text.AppendLine(culture, $"  {run.Kind,-6} │{string.Join("│", tokens.Select(t => Visible(t.Text)))}│{more}");
            }
        }
        return text.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>Consecutive tokens of the same kind: prompt, TRAIN or CUT.</summary>
    public static IEnumerable<(string Kind, List<TokenView> Tokens)> Runs(ExampleView example)
    {
        string Kind(TokenView t) => t.BeyondCut ? "CUT" : t.Trained ? "TRAIN" : "prompt";
        List<TokenView>? current = null;
        string? kind = null;
        foreach (var token in example.Tokens)
        {
            if (Kind(token) != kind && current is { Count: > 0 })
            {
                yield return (kind!, current);
                current = null;
            }
            kind = Kind(token);
            (current ??= []).Add(token);
        }
        if (current is { Count: > 0 }) yield return (kind!, current);
    }

    public static string Visible(string text) => text.Replace("\r", "␍").Replace("\n", "↵").Replace("\t", "⇥");
}
