using CsCheck;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Cleaning;

/// <summary>The invariant of Clean: every input record ends in exactly one of clean.jsonl and rejects.jsonl.</summary>
public class KeptOrRejectedPropertyTests
{
    static readonly string[] Questions = ["退款多久到账？", "运费怎么算？", "How long is the warranty?", "能开发票吗", "嗯", "订单 怎么\t取消", ""];
    static readonly string[] Answers = ["1-3个工作日到账。", "满99元包邮。", "One year.", "可以开电子发票。", "好", "   ", "请联系13800138000或a@b.com"];

    static string J(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    // One JSONL line: usable alpaca or chat records (often repeating each other), or unusable ones.
    static readonly Gen<string> Line = Gen.Frequency(
        (6, Gen.Select(Gen.Int[0, Questions.Length - 1], Gen.Int[0, Answers.Length - 1], Gen.Int[0, 3], Gen.Bool,
            (q, a, c, spaces) => $"{{\"instruction\":{J((spaces ? "  " : "") + Questions[q])},\"output\":{J(Answers[a])},\"category\":\"c{c}\"}}")),
        (2, Gen.Select(Gen.Int[0, Questions.Length - 1], Gen.Int[0, Answers.Length - 1],
            (q, a) => $"{{\"messages\":[{{\"role\":\"user\",\"content\":{J(Questions[q])}}},{{\"role\":\"assistant\",\"content\":{J(Answers[a])}}}]}}")),
        (1, Gen.OneOf(
            "{\"instruction\":\"Q\"}",
            "{\"instruction\":\"Q\",\"output\":7}",
            "{\"messages\":[]}",
            "{\"messages\":[{\"role\":\"bot\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"}]}",
            "42",
            "{\"id\":\"dup\",\"instruction\":\"Q2\",\"output\":\"A2\"}")));

    static readonly Gen<CleanSpec> Spec = Gen.Select(Gen.Bool, Gen.Bool, Gen.Double[0.5, 1.0], Gen.Enum<ConflictPolicy>(), Gen.Int[0, 8], Gen.Bool,
        (exact, near, threshold, conflict, minChars, pii) => new CleanSpec
        {
            DedupeExact = exact,
            NearDedupe = new NearDedupeSpec { Enabled = near, Threshold = threshold, Ngram = 3, NumPerm = 32 },
            OnConflict = conflict,
            MinChars = minChars,
            MaxChars = 40,
            RedactPii = new PiiSpec { Enabled = pii },
        });

    [Fact]
    public void Every_input_record_is_either_kept_or_rejected()
    {
        Gen.Select(Line.Array[1, 60], Spec).Sample((lines, spec) =>
        {
            using var w = new Workspace();
            w.Write("d.jsonl", string.Join("\n", lines) + "\n");
            var result = w.Clean(Workspace.Sources("d.jsonl"), spec);
            var kept = w.Kept().Select(r => r.Source.Line).ToList();
            var rejected = w.Rejects().Select(r => r.GetProperty("source").GetProperty("line").GetInt32()).ToList();
            var everyLine = Enumerable.Range(1, lines.Length).ToList();
            return result.Stats.Input == lines.Length
                   && result.Stats.Kept == kept.Count && result.Stats.Rejected == rejected.Count
                   && kept.Concat(rejected).Order().SequenceEqual(everyLine)
                   && result.Stats.ByCategory.All(c => c.Input == c.Kept + c.Rejected);
        }, iter: 120, threads: 1);
    }
}
