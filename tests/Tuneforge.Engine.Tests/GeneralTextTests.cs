using Tuneforge.Engine.Evaluation;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Engine.Tests;

/// <summary>The forgetting check's documents: spread over the files, BOS first, cut at max_tokens, errors with file:line.</summary>
public sealed class GeneralTextTests
{
    private static readonly HfTokenizer Tokenizer = HfTokenizer.Load(TokenizerLocator.Find("deepseek-r1"));

    [Fact]
    public void Documents_are_spread_over_every_file_and_measured_from_their_start()
    {
        using var directory = new TempDirectory();
        File.WriteAllLines(directory.File("zh.jsonl"), Enumerable.Range(0, 6).Select(i => $"{{\"text\": \"第{i}篇：退货须在七天内申请。\"}}"));
        File.WriteAllLines(directory.File("en.jsonl"), ["{\"text\": \"Returns are accepted within seven days of delivery, as the policy says.\"}", "", "{\"text\": \"Shipping is free.\"}"]);

        var examples = GeneralText.Load(new ForgettingSpec { Texts = ["zh.jsonl", "en.jsonl"], MaxDocuments = 4, MaxTokens = 8 }, directory.Path, Tokenizer);

        Assert.Equal(["zh.jsonl", "zh.jsonl", "zh.jsonl", "en.jsonl"], examples.Select(e => e.File));
        var first = examples[0].Example;
        Assert.Equal([Tokenizer.BosId!.Value, .. Tokenizer.Encode("第0篇：退货须在七天内申请。").Take(7)], first.InputIds);
        Assert.Equal([false, .. Enumerable.Repeat(true, 7)], first.LossMask);
        Assert.StartsWith(Tokenizer.Decode(Tokenizer.Encode("Returns are accepted")), Tokenizer.Decode(examples[3].Example.InputIds[1..]));
    }

    [Fact]
    public void A_missing_file_or_a_line_without_text_is_a_clear_error()
    {
        using var directory = new TempDirectory();
        File.WriteAllLines(directory.File("bad.jsonl"), ["{\"text\": \"ok\"}", "{\"body\": \"no text\"}"]);

        var missing = Assert.Throws<EngineException>(() => GeneralText.Load(new ForgettingSpec { Texts = ["gone.jsonl"] }, directory.Path, Tokenizer));
        var bad = Assert.Throws<EngineException>(() => GeneralText.Load(new ForgettingSpec { Texts = ["bad.jsonl"] }, directory.Path, Tokenizer));

        Assert.Equal($"evaluate.forgetting.texts: gone.jsonl not found (looked in {directory.Path})", missing.Message);
        Assert.StartsWith("evaluate.forgetting.texts: bad.jsonl:2: the record has no \"text\" string.", bad.Message);
    }

    [Fact]
    public void Without_data_general_the_default_check_is_skipped_with_a_warning_but_named_texts_are_required()
    {
        using var directory = new TempDirectory();
        var warnings = new List<string>();

        var examples = GeneralText.Load(new ForgettingSpec(), directory.Path, Tokenizer, warnings.Add);

        Assert.Empty(examples);
        Assert.StartsWith("the forgetting check's default texts (data/general/heldout-zh.jsonl, data/general/heldout-en.jsonl) are not in", warnings.Single());
        Assert.Throws<EngineException>(() => GeneralText.Load(new ForgettingSpec { Texts = ["data/general/heldout-zh.jsonl"] }, directory.Path, Tokenizer));
    }

    [Fact]
    public void The_shipped_held_out_text_loads_and_spreads_over_both_languages()
    {
        var examples = GeneralText.Load(new ForgettingSpec(), WorkerProcess.Root, Tokenizer);

        Assert.Equal(64, examples.Count);
        Assert.Contains(examples, e => e.File == "heldout-en.jsonl");
        Assert.Contains(examples, e => e.File == "heldout-zh.jsonl");
        Assert.All(examples, e => Assert.InRange(e.Example.InputIds.Length, 2, 256));
    }
}
