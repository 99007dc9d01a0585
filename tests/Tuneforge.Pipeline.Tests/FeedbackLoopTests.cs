using System.Text.Json.Nodes;
using Tuneforge.Data.Feedback;
using Tuneforge.Text;

namespace Tuneforge.Pipeline.Tests;

/// <summary>serve → rate → Clean → KTO → Evaluate as one build: data.feedback reads Serve's SQLite store, and its
/// ratings become KTO labels and its corrections pairs.</summary>
public sealed class FeedbackLoopTests : IDisposable
{
    readonly SmokeRoot smoke = new();

    public void Dispose() => smoke.Dispose();

    // 24 answers as Serve stores them: even ones rated 5, odd ones 1, every sixth corrected.
    void RateAnswers(string database)
    {
        using var store = new FeedbackStore(database);
        var start = DateTimeOffset.Parse("2026-11-30T09:00:00Z");
        for (var i = 0; i < 24; i++)
        {
            var id = $"chatcmpl-{i:D3}";
            store.RecordCompletion(new StoredCompletion(id, start.AddMinutes(i), "smoke", "/v1/chat/completions",
                [ChatMessage.User($"第{i}号订单什么时候发货？")], $"订单{i}将在48小时内发货。", null, "stop", 12, 9));
            store.AddFeedback(new FeedbackEntry(id, i % 2 == 0 ? 5 : 1, null, i % 6 == 5 ? $"第{i}号订单已缺货，我们会在3天内退款。" : null), start.AddHours(1));
        }
    }

    [Fact]
    public void Rated_answers_from_the_store_train_KTO_in_the_same_build()
    {
        RateAnswers(smoke.File("artifacts/feedback.db"));
        string[] loop = ["--set", "data.feedback.database=artifacts/feedback.db", "--set", "data.feedback.preferences=true",
            "--set", "preference.method=kto", "--set", "preference.max_steps=2", "--set", "preference.max_prompt_length=48", "--set", "preference.max_length=96"];

        var (code, output) = smoke.Build(["Evaluate", .. loop]);
        Assert.True(code == 0, output);
        Assert.Matches(@"PreferenceTrain\s+Succeeded", output);

        var exported = File.ReadAllLines(smoke.File("artifacts/smoke/clean/feedback.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(24, exported.Count);
        Assert.Equal(4, exported.Count(r => r["rejected"] is not null));
        Assert.Equal(12, exported.Count(r => r["label"] is JsonValue v && v.GetValue<bool>()));
        Assert.Equal(8, exported.Count(r => r["label"] is JsonValue v && !v.GetValue<bool>()));
        var clean = File.ReadAllLines(smoke.File("artifacts/smoke/clean/clean.jsonl"));
        Assert.Equal(24, clean.Count(l => l.Contains("\"category\":\"feedback\"", StringComparison.Ordinal)));

        var (again, rerun) = smoke.Build(["Clean", .. loop]);
        Assert.True(again == 0, rerun);
        Assert.Matches(@"Clean\s+UpToDate", rerun);
        using (var store = new FeedbackStore(smoke.File("artifacts/feedback.db")))
            store.AddFeedback(new FeedbackEntry("chatcmpl-001", 5, "on second thought, fine", null), DateTimeOffset.Parse("2026-12-01T09:00:00Z"));
        var (changed, changedOutput) = smoke.Build(["Clean", .. loop]);
        Assert.True(changed == 0, changedOutput);
        Assert.Matches(@"Clean\s+Succeeded", changedOutput);
    }

    [Fact]
    public void A_missing_store_stops_Clean_saying_where_Serve_writes_it()
    {
        var (code, output) = smoke.Build("Clean", "--set", "data.feedback.database=artifacts/none.db");

        Assert.NotEqual(0, code);
        Assert.Contains("data.feedback.database: 'artifacts/none.db' does not exist. Serve writes its store to artifacts/<pipeline>/serve/feedback.db", output);
        Assert.DoesNotContain("   at ", output);
    }
}
