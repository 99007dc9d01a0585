using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Splitting;

public class SplitTests
{
    static readonly string[] Categories = ["订单", "退款", "物流", "账户", "售后", "发票"];

    // A clean.jsonl as Clean writes it; records i in `groups` share a group.
    static string WriteClean(Workspace w, int count, Func<int, string> category, Func<int, string?>? group = null, Func<int, IReadOnlyDictionary<string, string>>? metadata = null)
    {
        var path = Path.Combine(w.Root, "clean", "clean.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.CreateText(path);
        for (var i = 0; i < count; i++)
        {
            var record = new CanonicalRecord($"r{i:D4}", [Text.ChatMessage.User($"问题{i}"), Text.ChatMessage.Assistant($"回答{i}")], category(i), new SourceLocation("d.jsonl", i + 1))
            {
                Group = group?.Invoke(i),
                Metadata = metadata?.Invoke(i) ?? new Dictionary<string, string>(),
            };
            file.Write(System.Text.Encoding.UTF8.GetString(RecordJson.ToUtf8(record)) + "\n");
        }
        return path;
    }

    static Dictionary<string, string> PartOf(string outputDirectory) =>
        new[] { "train", "val", "test" }
            .SelectMany(part => RecordJson.ReadFile(Path.Combine(outputDirectory, $"{part}.jsonl")).Select(r => (r.Id, part)))
            .ToDictionary(x => x.Id, x => x.part);

    [Fact]
    public void Parts_follow_the_fractions_and_each_category_is_within_one_of_its_share()
    {
        using var w = new Workspace();
        var sizes = new[] { 101, 57, 33, 12, 7, 3 };
        var categoryOf = Enumerable.Range(0, sizes.Length).SelectMany(c => Enumerable.Repeat(Categories[c], sizes[c])).ToArray();
        var clean = WriteClean(w, categoryOf.Length, i => categoryOf[i]);
        var result = DataStages.Split(new SplitSpec(), clean, w.Output);
        Assert.Equal(213, result.Train + result.Val + result.Test);
        Assert.InRange(result.Train, 170 - 1, 171 + 1);
        Assert.InRange(result.Val, 21 - 1, 22 + 1);
        Assert.InRange(result.Test, 21 - 1, 22 + 1);
        double[] fractions = [0.8, 0.1, 0.1];
        foreach (var (category, counts) in result.ByCategory)
        {
            var n = counts.Sum();
            for (var p = 0; p < 3; p++) Assert.True(Math.Abs(counts[p] - n * fractions[p]) < 1, $"{category}: {counts[p]} vs share {n * fractions[p]}");
        }
        var parts = PartOf(w.Output);
        Assert.Equal(213, parts.Count);
    }

    [Fact]
    public void Split_is_deterministic_for_the_same_records_and_seed_and_changes_with_the_seed()
    {
        using var w = new Workspace();
        var clean = WriteClean(w, 300, i => Categories[i % 6]);
        DataStages.Split(new SplitSpec { Seed = 7 }, clean, Path.Combine(w.Root, "a"));
        DataStages.Split(new SplitSpec { Seed = 7 }, clean, Path.Combine(w.Root, "b"));
        DataStages.Split(new SplitSpec { Seed = 8 }, clean, Path.Combine(w.Root, "c"));
        foreach (var file in new[] { "train.jsonl", "val.jsonl", "test.jsonl", "split.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(w.Root, "a", file)), File.ReadAllBytes(Path.Combine(w.Root, "b", file)));
        Assert.NotEqual(File.ReadAllText(Path.Combine(w.Root, "a", "test.jsonl")), File.ReadAllText(Path.Combine(w.Root, "c", "test.jsonl")));
    }

    [Fact]
    public void Adding_records_moves_few_existing_ones()
    {
        using var w = new Workspace();
        DataStages.Split(new SplitSpec(), WriteClean(w, 500, _ => "c"), Path.Combine(w.Root, "a"));
        DataStages.Split(new SplitSpec(), WriteClean(w, 520, _ => "c"), Path.Combine(w.Root, "b"));
        var before = PartOf(Path.Combine(w.Root, "a"));
        var after = PartOf(Path.Combine(w.Root, "b"));
        var moved = before.Count(kv => after[kv.Key] != kv.Value);
        Assert.InRange(moved, 0, 25);
    }

    [Fact]
    public void Groups_never_straddle_parts()
    {
        using var w = new Workspace();
        // Every fifth record starts a group of five: same prompt, different answers, kept together.
        var clean = WriteClean(w, 400, i => Categories[i / 5 % 6], i => i < 200 ? $"r{i / 5 * 5:D4}" : null);
        var result = DataStages.Split(new SplitSpec(), clean, w.Output);
        var parts = PartOf(w.Output);
        for (var g = 0; g < 200; g += 5)
            Assert.Single(Enumerable.Range(g, 5).Select(i => parts[$"r{i:D4}"]).Distinct());
        Assert.Equal(400, result.Train + result.Val + result.Test);
        Assert.Equal(240, result.Units);
        Assert.Equal(5, result.LargestUnit);
    }

    [Fact]
    public void Near_duplicates_and_conflicts_from_clean_stay_in_one_part()
    {
        using var w = new Workspace();
        var records = new List<object>();
        for (var i = 0; i < 120; i++)
        {
            records.Add(new { id = $"q{i}", instruction = $"第{i}个问题：订单{i}怎么查？", output = $"在我的订单里查看第{i}单。", category = Categories[i % 6] });
            if (i % 4 == 0) records.Add(new { id = $"q{i}-near", instruction = $"第{i}个问题：订单{i}怎么查？", output = $"在我的订单里查看第{i}单！", category = Categories[i % 6] });
            if (i % 5 == 0) records.Add(new { id = $"q{i}-other", instruction = $"第{i}个问题：订单{i}怎么查？", output = "请联系客服。", category = Categories[i % 6] });
        }
        w.WriteJsonl("d.jsonl", records);
        w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { OnConflict = ConflictPolicy.Report });
        Assert.Equal(30, w.Rejects().Count); // every -near is a near duplicate
        DataStages.Split(new SplitSpec(), Path.Combine(w.Output, "clean.jsonl"), Path.Combine(w.Root, "split"));
        var parts = PartOf(Path.Combine(w.Root, "split"));
        for (var i = 0; i < 120; i += 5) Assert.Equal(parts[$"q{i}"], parts[$"q{i}-other"]);
        Assert.DoesNotContain(parts.Keys, id => id.EndsWith("-near", StringComparison.Ordinal));
    }

    [Fact]
    public void Stratify_by_a_metadata_field_or_not_at_all()
    {
        using var w = new Workspace();
        var clean = WriteClean(w, 100, _ => "c", metadata: i => new Dictionary<string, string> { ["lang"] = i < 20 ? "en" : "zh" });
        var result = DataStages.Split(new SplitSpec { StratifyBy = "lang" }, clean, w.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(w.Output, "split.json")));
        var en = json.RootElement.GetProperty("by_stratum").GetProperty("en");
        Assert.Equal((16, 2, 2), (en.GetProperty("train").GetInt32(), en.GetProperty("val").GetInt32(), en.GetProperty("test").GetInt32()));
        Assert.Equal((80, 10, 10), (result.Train, result.Val, result.Test));
        var none = DataStages.Split(new SplitSpec { StratifyBy = null }, clean, Path.Combine(w.Root, "none"));
        Assert.Equal((80, 10, 10), (none.Train, none.Val, none.Test));
        var e = Assert.Throws<DataException>(() => DataStages.Split(new SplitSpec { StratifyBy = "topic" }, clean, Path.Combine(w.Root, "x")));
        Assert.Equal("split.stratify_by: no record has 'topic'; use category, source, a field of your records, or null to not stratify.", e.Message);
    }

    [Fact]
    public void Split_json_has_counts_per_part_and_category()
    {
        using var w = new Workspace();
        var clean = WriteClean(w, 20, i => i < 10 ? "订单" : "退款");
        DataStages.Split(new SplitSpec { Seed = 3 }, clean, w.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(w.Output, "split.json")));
        var root = json.RootElement;
        Assert.Equal("{\"train\":16,\"val\":2,\"test\":2}", root.GetProperty("counts").GetRawText().Replace(" ", "").Replace("\n", ""));
        Assert.Equal("{\"train\":8,\"val\":1,\"test\":1}", root.GetProperty("by_category").GetProperty("订单").GetRawText().Replace(" ", "").Replace("\n", ""));
        Assert.Equal(3, root.GetProperty("seed").GetInt32());
    }

    [Fact]
    public void Too_few_records_is_an_error_saying_how_many_are_needed()
    {
        using var w = new Workspace();
        var clean = WriteClean(w, 9, _ => "c");
        var e = Assert.Throws<DataException>(() => DataStages.Split(new SplitSpec(), clean, w.Output));
        Assert.Equal("split: 9 records are too few for train 0.8 / val 0.1 / test 0.1: every part needs at least one record, which takes at least 10 records. " +
                     "Add data, or set a part's fraction to 0.", e.Message);
        Assert.False(File.Exists(Path.Combine(w.Output, "train.jsonl")));
        var ten = DataStages.Split(new SplitSpec(), WriteClean(w, 10, i => Categories[i % 6]), w.Output);
        Assert.Equal((8, 1, 1), (ten.Train, ten.Val, ten.Test));
        var noVal = DataStages.Split(new SplitSpec { Train = 0.75, Val = 0, Test = 0.25 }, WriteClean(w, 4, _ => "c"), Path.Combine(w.Root, "nv"));
        Assert.Equal((3, 0, 1), (noVal.Train, noVal.Val, noVal.Test));
    }

    [Fact]
    public void A_missing_clean_file_says_to_run_clean()
    {
        using var w = new Workspace();
        var e = Assert.Throws<DataException>(() => DataStages.Split(new SplitSpec(), Path.Combine(w.Root, "clean.jsonl"), w.Output));
        Assert.Equal($"{Path.Combine(w.Root, "clean.jsonl")} does not exist; run Clean first (./build.sh Clean).", e.Message);
    }

    [Fact]
    public void A_category_too_small_for_every_part_is_warned_about_with_what_it_got()
    {
        using var w = new Workspace();
        var categoryOf = Enumerable.Repeat("订单", 40).Concat(Enumerable.Repeat("发票", 4)).ToArray();
        var result = DataStages.Split(new SplitSpec(), WriteClean(w, categoryOf.Length, i => categoryOf[i]), w.Output);

        var warning = Assert.Single(result.Warnings);
        var got = result.ByCategory.Single(c => c.Category == "发票").Counts;
        Assert.Equal(4, got.Sum());
        Assert.StartsWith("split: category '发票' has 4 records, fewer than the 10 that give every part (train 0.8 / val 0.1 / test 0.1) at least one; " +
                          $"it got train {got[0]}, val {got[1]}, test {got[2]}, so none of it is in ", warning);
        Assert.EndsWith(". Add records to it, or merge it into another category.", warning);
    }

    [Fact]
    public void Categories_large_enough_for_every_part_and_unstratified_splits_warn_nothing()
    {
        using var w = new Workspace();
        var clean = WriteClean(w, 30, i => i < 10 ? "订单" : "退款");
        Assert.Empty(DataStages.Split(new SplitSpec(), clean, w.Output).Warnings);
        Assert.Empty(DataStages.Split(new SplitSpec { StratifyBy = null }, WriteClean(w, 12, i => i < 2 ? "发票" : "订单"), w.Output).Warnings);
    }
}
