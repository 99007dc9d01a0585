using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Data.Splitting;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Splitting;

public class MixTests
{
    static CleanSpec NoNearDedupe => new() { NearDedupe = new NearDedupeSpec { Enabled = false }, MinChars = 0 };

    // 100 domain records and 400 general ones, through Clean and Split as the build runs them.
    static Workspace Mixed(out DataSpec data, double weight, MixStrategy strategy = MixStrategy.InterleaveUnder)
    {
        var w = new Workspace();
        w.WriteJsonl("data/shop.jsonl", Enumerable.Range(0, 100).Select(i => (object)new { id = $"s{i}", category = i % 2 == 0 ? "退款" : "物流", instruction = $"店铺问题{i}", output = $"店铺回答{i}" }));
        w.WriteJsonl("data/general.jsonl", Enumerable.Range(0, 400).Select(i => (object)new { id = $"g{i}", instruction = $"通用问题{i}", output = $"通用回答{i}" }));
        data = Workspace.Sources("data/shop.jsonl") with
        {
            Mix = [new MixSourceSpec { Path = "data/general.jsonl", Name = "general", Weight = strategy == MixStrategy.Concat ? null : weight }],
            MixStrategy = strategy,
        };
        w.Clean(data, NoNearDedupe);
        return w;
    }

    static SplitResult Split(Workspace w, DataSpec data, string folder = "split") =>
        DataStages.Split(new SplitSpec(), data, Path.Combine(w.Output, "clean.jsonl"), Path.Combine(w.Root, folder));

    static List<CanonicalRecord> Part(Workspace w, string part, string folder = "split") => [.. RecordJson.ReadFile(Path.Combine(w.Root, folder, $"{part}.jsonl"))];

    [Fact]
    public void Mixed_records_join_only_the_train_part_with_their_source_name_and_the_interleave_probability()
    {
        using var w = Mixed(out var data, weight: 0.2);
        var result = Split(w, data);
        var train = Part(w, "train");
        Assert.All(Part(w, "val").Concat(Part(w, "test")), r => Assert.Equal(RecordOrigin.Data, r.Origin));
        Assert.Equal(20, Part(w, "val").Count + Part(w, "test").Count);
        var general = train.Where(r => r.Origin == RecordOrigin.Mix).ToList();
        Assert.All(general, r => Assert.Equal("general", r.SourceName));
        Assert.All(general, r => Assert.Equal("data/general.jsonl", r.Source.File));
        // interleave_under stops when the 80 shop records run out; each draw is general with probability 0.2.
        Assert.Equal(80, train.Count(r => r.Origin == RecordOrigin.Data));
        Assert.InRange(general.Count, 10, 32);   // 20 expected (80 × 0.2/0.8); the pinned seed gives the value below
        Assert.Equal(general.Count, result.Mix!.Single(s => s.Name == "general").Taken);
        Assert.Equal(("mix", $"data.sources 80 + general {general.Count}"), result.SummaryPairs()[3]);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(w.Root, "split", "split.json")));
        var sources = json.RootElement.GetProperty("mix").GetProperty("sources");
        Assert.Equal(0.8, sources[0].GetProperty("probability").GetDouble(), 9);
        Assert.Equal(400, sources[1].GetProperty("available").GetInt32());
        Assert.Equal(general.Count, json.RootElement.GetProperty("by_source").GetProperty("general").GetProperty("train").GetInt32());
        Assert.Equal(18, general.Count);
    }

    [Fact]
    public void The_mix_is_deterministic_by_seed()
    {
        using var w = Mixed(out var data, weight: 0.5);
        Split(w, data, "a");
        Split(w, data, "b");
        Assert.Equal(File.ReadAllText(Path.Combine(w.Root, "a", "train.jsonl")), File.ReadAllText(Path.Combine(w.Root, "b", "train.jsonl")));
        DataStages.Split(new SplitSpec { Seed = 1 }, data, Path.Combine(w.Output, "clean.jsonl"), Path.Combine(w.Root, "c"));
        Assert.NotEqual(File.ReadAllText(Path.Combine(w.Root, "a", "train.jsonl")), File.ReadAllText(Path.Combine(w.Root, "c", "train.jsonl")));
    }

    [Fact]
    public void Interleave_over_repeats_the_smaller_source_until_every_source_ran_out()
    {
        using var w = Mixed(out var data, weight: 0.5, MixStrategy.InterleaveOver);
        Split(w, data);
        var train = Part(w, "train");
        Assert.Equal(400, train.Count(r => r.Origin == RecordOrigin.Mix && !r.Id.Contains('#')));   // every general record at least once
        var shop = train.Where(r => r.Origin == RecordOrigin.Data).ToList();
        Assert.Equal(80, shop.Count(r => !r.Id.Contains('#')));
        Assert.True(shop.Count > 300, $"the 80 shop records are repeated to about half of the stream ({shop.Count})");
        Assert.Equal(train.Count, train.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Concat_takes_every_mixed_record_once()
    {
        using var w = Mixed(out var data, weight: 0, MixStrategy.Concat);
        var result = Split(w, data);
        Assert.Equal(480, result.Train);
        Assert.Null(result.Mix![1].Probability);
    }

    [Fact]
    public void A_mixed_record_with_the_prompt_of_a_test_record_stays_out_of_train()
    {
        using var w = new Workspace();
        w.WriteJsonl("data/shop.jsonl", Enumerable.Range(0, 30).Select(i => (object)new { id = $"s{i}", instruction = $"店铺问题{i}", output = $"店铺回答{i}" }));
        // The same prompts with other answers: Clean groups each with its shop record.
        w.WriteJsonl("data/general.jsonl", Enumerable.Range(0, 30).Select(i => (object)new { id = $"g{i}", instruction = $"店铺问题{i}", output = $"另一个回答{i}" }));
        var data = Workspace.Sources("data/shop.jsonl") with { Mix = [new MixSourceSpec { Path = "data/general.jsonl", Name = "general" }], MixStrategy = MixStrategy.Concat };
        w.Clean(data, NoNearDedupe);
        var result = Split(w, data);
        var heldOut = Part(w, "val").Concat(Part(w, "test")).Select(r => r.Id.Replace("s", "g")).ToHashSet();
        var mixed = Part(w, "train").Where(r => r.Origin == RecordOrigin.Mix).Select(r => r.Id).ToList();
        Assert.Equal(24, mixed.Count);
        Assert.Empty(mixed.Intersect(heldOut));
        Assert.Equal(6, result.Mix![1].HeldOut);
    }

    [Fact]
    public void A_mix_source_that_does_not_exist_names_its_yaml_path()
    {
        using var w = new Workspace();
        w.WriteJsonl("data/shop.jsonl", [new { instruction = "q", output = "a" }]);
        var data = Workspace.Sources("data/shop.jsonl") with
        {
            Mix = [new MixSourceSpec { Path = "data/shop.jsonl", Weight = 0.1 }, new MixSourceSpec { Path = "data/general/*.parquet", Weight = 0.1 }],
        };
        var e = Assert.Throws<DataException>(() => w.Clean(data));
        Assert.Equal("data.mix[0].path: 'data/shop.jsonl' is also in data.sources; a file is either split (data.sources) or mixed into train (data.mix), and mixed once.", e.Message);
        data = data with { Mix = [data.Mix[1]] };
        e = Assert.Throws<DataException>(() => w.Clean(data));
        Assert.Equal($"data.mix[0].path: the pattern 'data/general/*.parquet' matches no file: the folder {Path.Combine(w.Root, "data", "general")} does not exist.", e.Message);
        Assert.False(Directory.Exists(w.Output));
    }
}
