using System.Net;
using System.Text.Json.Nodes;
using Tuneforge.Data;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Data.Feedback;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.Feedback;

public class FeedbackTests
{
    private static async Task<string> AskAsync(TestApi api, string question, string? system = null)
    {
        var messages = new JsonArray();
        if (system is not null) messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = question });
        var response = await api.PostAsync("/v1/chat/completions", new JsonObject { ["messages"] = messages });
        return (await TestApi.JsonAsync(response))["id"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> RateAsync(TestApi api, string id, int rating, string? comment = null, string? correction = null) =>
        api.PostAsync("/feedback", new JsonObject { ["response_id"] = id, ["rating"] = rating, ["comment"] = comment, ["correction"] = correction });

    [Fact]
    public async Task Feedback_is_stored_against_a_response_and_survives_a_restart()
    {
        using var folder = new TempFolder();
        var options = new ServeOptions { FeedbackDatabase = folder.File("feedback.db") };
        string first, second;
        await using (var api = await TestApi.StartAsync(options))
        {
            first = await AskAsync(api, "发票多久能开？");
            second = await AskAsync(api, "How do I return an item?");
            var stored = await RateAsync(api, first, 5, "准确");
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            Assert.Equal(first, (await TestApi.JsonAsync(stored))["response_id"]!.GetValue<string>());
        }
        await using (var restarted = await TestApi.StartAsync(options))
        {
            Assert.Equal(HttpStatusCode.Created, (await RateAsync(restarted, second, 2, correction: "Open Orders, choose the item, press Return.")).StatusCode);
        }
        using var store = new FeedbackStore(options.FeedbackDatabase);
        var rated = store.RatedCompletions();
        Assert.Equal([first, second], rated.Select(r => r.Completion.Id));
        Assert.Equal((5, "准确", "Answer to 发票多久能开？.", "The user asks: 发票多久能开？"), (rated[0].Rating, rated[0].Comment, rated[0].Completion.Answer, rated[0].Completion.Reasoning));
        Assert.Equal("Open Orders, choose the item, press Return.", rated[1].Correction);
        Assert.Equal("How do I return an item?", rated[1].Completion.Messages.Single().Content);
    }

    [Fact]
    public async Task Feedback_on_an_unknown_response_is_404_and_a_bad_rating_is_400()
    {
        using var folder = new TempFolder();
        await using var api = await TestApi.StartAsync(new ServeOptions { FeedbackDatabase = folder.File("feedback.db") });
        var unknown = await RateAsync(api, "chatcmpl-nope", 5);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("response_id", (await TestApi.JsonAsync(unknown))["error"]!["param"]!.GetValue<string>());
        var id = await AskAsync(api, "q");
        var bad = await RateAsync(api, id, 7);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("rating", (await TestApi.JsonAsync(bad))["error"]!["param"]!.GetValue<string>());
        var missing = await api.PostAsync("/feedback", new JsonObject { ["response_id"] = id });
        Assert.Equal("rating", (await TestApi.JsonAsync(missing))["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_database_feedback_is_off_and_nothing_is_stored()
    {
        await using var api = await TestApi.StartAsync();
        var id = await AskAsync(api, "q");
        var response = await RateAsync(api, id, 5);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("feedback_disabled", (await TestApi.JsonAsync(response))["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Exported_feedback_is_a_dataset_that_Clean_keeps_whole()
    {
        using var folder = new TempFolder();
        var options = new ServeOptions { FeedbackDatabase = folder.File("feedback.db") };
        await using (var api = await TestApi.StartAsync(options))
        {
            await RateAsync(api, await AskAsync(api, "发票多久能开？", system: "你是客服。"), 5, "好");
            await RateAsync(api, await AskAsync(api, "How long is shipping?"), 1);
            await RateAsync(api, await AskAsync(api, "Can I pay by card?"), 2, correction: "Yes: Visa, Mastercard and UnionPay.");
            var changedMind = await AskAsync(api, "Where is my order?");
            await RateAsync(api, changedMind, 1);
            await RateAsync(api, changedMind, 4);   // the latest rating counts
            await AskAsync(api, "never rated");
        }
        var dataset = folder.File("feedback.jsonl");
        using (var store = new FeedbackStore(options.FeedbackDatabase))
        {
            var result = FeedbackExporter.Export(store, dataset, minRating: 4);
            Assert.Equal((3, 1, 0), (result.Written, result.BelowRating, result.EmptyAnswer));
        }
        var lines = File.ReadAllLines(dataset).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(["你是客服。", "发票多久能开？", "Answer to 发票多久能开？."], lines[0]["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
        Assert.Equal(["system", "user", "assistant"], lines[0]["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("Yes: Visa, Mastercard and UnionPay.", lines[1]["messages"]![1]!["content"]!.GetValue<string>());
        Assert.True(lines[1]["corrected"]!.GetValue<bool>());

        var clean = DataStages.Clean(new CleanRequest(new DataSpec { Sources = [dataset] }, new CleanSpec(), folder.Path, folder.File("clean")));
        Assert.Equal((3, 3, 0), (clean.Stats.Input, clean.Stats.Kept, clean.Stats.Rejected));
        var records = RecordJson.ReadFile(Path.Combine(folder.File("clean"), DataStages.CleanFile)).ToList();
        Assert.All(records, r => Assert.Equal(FeedbackExporter.Category, r.Category));
        Assert.Equal("5", records[0].Metadata["rating"]);
        Assert.Equal("好", records[0].Metadata["comment"]);
        Assert.Equal("Yes: Visa, Mastercard and UnionPay.", records[1].Response);
    }

    [Fact]
    public async Task A_preference_export_labels_every_rating_and_makes_corrections_pairs_that_Clean_reads()
    {
        using var folder = new TempFolder();
        var options = new ServeOptions { FeedbackDatabase = folder.File("feedback.db") };
        await using (var api = await TestApi.StartAsync(options))
        {
            await RateAsync(api, await AskAsync(api, "发票多久能开？"), 5);
            await RateAsync(api, await AskAsync(api, "How long is shipping?"), 1);
            await RateAsync(api, await AskAsync(api, "Can I pay by card?"), 2, correction: "Yes: Visa, Mastercard and UnionPay.");
        }
        var dataset = folder.File("preferences.jsonl");
        using (var store = new FeedbackStore(options.FeedbackDatabase))
        {
            var result = FeedbackExporter.Export(store, dataset, minRating: 4, preferences: true);
            Assert.Equal((3, 0, 0), (result.Written, result.BelowRating, result.EmptyAnswer));
            Assert.Equal(2, FeedbackExporter.Export(store, folder.File("sft.jsonl"), minRating: 4).Written);
        }
        var clean = DataStages.Clean(new CleanRequest(new DataSpec { Sources = [dataset] }, new CleanSpec(), folder.Path, folder.File("clean")));
        Assert.Equal((3, 3, 0), (clean.Stats.Input, clean.Stats.Kept, clean.Stats.Rejected));
        var records = RecordJson.ReadFile(Path.Combine(folder.File("clean"), DataStages.CleanFile)).ToList();
        Assert.Equal([true, false, null], records.Select(r => r.Label));
        Assert.Equal("Answer to How long is shipping?.", records[1].Response);
        Assert.Equal("Yes: Visa, Mastercard and UnionPay.", records[2].Response);
        Assert.Equal("Answer to Can I pay by card?.", records[2].Rejected);
        Assert.Equal([null, null, "Answer to Can I pay by card?."], records.Select(r => r.Rejected));
    }

    [Fact]
    public void Pruning_keeps_the_newest_unrated_completions_and_every_rated_one()
    {
        using var folder = new TempFolder();
        using var store = new FeedbackStore(folder.File("feedback.db"));
        var start = DateTimeOffset.Parse("2025-01-01T00:00:00Z");
        for (var i = 0; i < 6; i++)
            store.RecordCompletion(new StoredCompletion($"c{i}", start.AddMinutes(i), "m", "/generate", [Tuneforge.Text.ChatMessage.User($"q{i}")], $"a{i}", null, "stop", 3, 4));
        store.AddFeedback(new FeedbackEntry("c0", 5, null, null), start);
        Assert.Equal(3, store.Prune(keep: 2));
        Assert.Equal((3L, 1L), store.Counts());
        Assert.NotNull(store.FindCompletion("c0"));
        Assert.Null(store.FindCompletion("c3"));
        Assert.NotNull(store.FindCompletion("c5"));
    }
}
