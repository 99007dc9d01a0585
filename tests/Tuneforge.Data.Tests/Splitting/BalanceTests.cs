using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Tests.Splitting;

public class BalanceTests
{
    // 200 退款, 60 物流, 10 发票 records: a skewed clean.jsonl.
    static string WriteSkewed(Workspace w)
    {
        var path = Path.Combine(w.Root, "clean", "clean.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var categories = Enumerable.Repeat("退款", 200).Concat(Enumerable.Repeat("物流", 60)).Concat(Enumerable.Repeat("发票", 10)).ToArray();
        File.WriteAllLines(path, categories.Select((c, i) => System.Text.Encoding.UTF8.GetString(RecordJson.ToUtf8(
            new CanonicalRecord($"r{i:D3}", [ChatMessage.User($"问题{i}"), ChatMessage.Assistant($"回答{i}")], c, new SourceLocation("d.jsonl", i + 1))))));
        return path;
    }

    static List<CanonicalRecord> Part(Workspace w, string part) => [.. RecordJson.ReadFile(Path.Combine(w.Output, $"{part}.jsonl"))];

    static Dictionary<string, int> CountBy(IEnumerable<CanonicalRecord> records) =>
        records.GroupBy(r => r.Category).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void Cap_and_floor_change_only_the_train_part_and_copies_get_their_own_ids()
    {
        using var w = new Workspace();
        var clean = WriteSkewed(w);
        var plain = DataStages.Split(new SplitSpec(), clean, Path.Combine(w.Root, "plain"));
        var spec = new SplitSpec { Balance = new BalanceSpec { MaxPerGroup = 100, MinPerGroup = 20 } };
        var result = DataStages.Split(spec, clean, w.Output);

        Assert.Equal(new Dictionary<string, int> { ["退款"] = 160, ["物流"] = 48, ["发票"] = 8 }, CountBy(RecordJson.ReadFile(Path.Combine(w.Root, "plain", "train.jsonl"))));
        var train = Part(w, "train");
        Assert.Equal(new Dictionary<string, int> { ["退款"] = 100, ["物流"] = 48, ["发票"] = 20 }, CountBy(train));
        Assert.Equal(train.Count, train.Select(r => r.Id).Distinct().Count());
        var invoices = train.Where(r => r.Category == "发票").Select(r => r.Id).ToList();
        Assert.Equal(8, invoices.Count(id => !id.Contains('#')));               // every record at least once...
        Assert.Equal(12, invoices.Count(id => id.Contains('#')));               // ...and 12 copies: 4 records thrice, 4 twice
        Assert.Equal(4, invoices.Count(id => id.EndsWith("#3", StringComparison.Ordinal)));
        foreach (var part in new[] { "val", "test" })
            Assert.Equal(File.ReadAllText(Path.Combine(w.Root, "plain", $"{part}.jsonl")), File.ReadAllText(Path.Combine(w.Output, $"{part}.jsonl")));

        Assert.Equal((216, 168), (result.Balance!.Before, result.Balance.After));
        Assert.Equal(("balanced", "216 → 168 train (category)"), result.SummaryPairs()[3]);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(w.Output, "split.json")));
        var balance = json.RootElement.GetProperty("balance");
        Assert.Equal(160, balance.GetProperty("groups").GetProperty("退款").GetProperty("before").GetInt32());
        Assert.Equal(100, balance.GetProperty("groups").GetProperty("退款").GetProperty("after").GetInt32());
        Assert.Equal(168, json.RootElement.GetProperty("counts").GetProperty("train").GetInt32());
        Assert.Equal(plain.Test, result.Test);
    }

    [Fact]
    public void Down_sampling_is_fixed_by_the_seed_and_changes_with_it()
    {
        using var w = new Workspace();
        var clean = WriteSkewed(w);
        string Train(int seed, string folder)
        {
            DataStages.Split(new SplitSpec { Seed = 7, Balance = new BalanceSpec { MaxPerGroup = 30 } } with { Seed = seed }, clean, Path.Combine(w.Root, folder));
            return File.ReadAllText(Path.Combine(w.Root, folder, "train.jsonl"));
        }
        Assert.Equal(Train(7, "a"), Train(7, "b"));
        Assert.NotEqual(Train(7, "a"), Train(8, "c"));
    }

    [Fact]
    public void Proportions_keep_the_train_size_and_reach_each_share()
    {
        using var w = new Workspace();
        var clean = WriteSkewed(w);
        var spec = new SplitSpec { Balance = new BalanceSpec { Proportions = new() { ["退款"] = 0.5, ["物流"] = 0.3, ["发票"] = 0.2 } } };
        var result = DataStages.Split(spec, clean, w.Output);
        Assert.Equal(new Dictionary<string, int> { ["退款"] = 108, ["物流"] = 65, ["发票"] = 43 }, CountBy(Part(w, "train")));   // 216 × shares, largest remainder
        Assert.Equal(216, result.Train);
    }

    [Fact]
    public void Proportions_that_leave_out_a_category_of_the_train_part_name_it()
    {
        using var w = new Workspace();
        var clean = WriteSkewed(w);
        var spec = new SplitSpec { Balance = new BalanceSpec { Proportions = new() { ["退款"] = 0.5, ["物流"] = 0.5 } } };
        var e = Assert.Throws<DataException>(() => DataStages.Split(spec, clean, w.Output));
        Assert.Equal("split.balance.proportions: the train part has '发票' (8 records), not listed; list every category with its share (the listed ones: 退款, 物流).", e.Message);
        Assert.False(File.Exists(Path.Combine(w.Output, "train.jsonl")));
    }
}
