using Tuneforge.Data.Training;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

public sealed class DataAndBatchingTests
{
    private static readonly Lazy<HfTokenizer> R1Tokenizer = new(() => HfTokenizer.Load(TokenizerLocator.Find("deepseek-r1")));

    private static TrainingRecord Record(string question, string answer, string id = "r") =>
        new(id, [ChatMessage.User(question), ChatMessage.Assistant(answer)], "test.jsonl:1");

    [Fact]
    public void Prompt_tokens_carry_no_loss_and_the_response_with_its_EOS_does()
    {
        var tokenizer = R1Tokenizer.Value;
        var template = ChatTemplates.Get("deepseek-r1");
        var encoder = new ExampleEncoder(tokenizer, template, new ChatRenderOptions(), systemPrompt: null, maxSeqLength: 512);
        var (examples, summary) = encoder.Encode([Record("退货要多久？", "7天内退款。")]);
        var example = Assert.Single(examples);
        using var batch = BatchCollator.Collate([[0]], examples, CPU);

        var eos = tokenizer.TokenToId("<｜end▁of▁sentence｜>")!.Value;
        var targets = batch.Targets.data<long>().ToArray();
        var rows = batch.LossRows.data<long>().ToArray();
        Assert.Equal(eos, targets[^1]);                                                    // EOS is trained (mask by position, not id)
        Assert.Equal(example.Length - 2, rows[^1]);                                        // predicted by the state before it
        var trained = tokenizer.Decode(targets.Select(t => (int)t).ToArray());
        Assert.Equal("\n</think>\n\n7天内退款。", trained.Replace("<｜end▁of▁sentence｜>", ""));   // after the prompt's "<think>\n"
        var prompt = tokenizer.Decode(example.InputIds.Take((int)rows[0] + 1).ToArray());
        Assert.EndsWith("<｜Assistant｜><think>\n", prompt);
        Assert.Contains("退货要多久？", prompt);
        Assert.Equal(summary.TrainedTokens, targets.Length);
        Assert.All(rows.Zip(rows.Skip(1)), pair => Assert.Equal(pair.First + 1, pair.Second));   // one contiguous response
    }

    [Fact]
    public void Max_seq_length_truncates_counts_and_drops_examples_left_without_a_response_token()
    {
        var tokenizer = R1Tokenizer.Value;
        var encoder = new ExampleEncoder(tokenizer, ChatTemplates.Get("deepseek-r1"), new ChatRenderOptions(), null, maxSeqLength: 16);
        var records = new[]
        {
            Record("hi", "ok", "short"),
            Record("please explain the return policy for electronics bought online in detail", "ok", "long prompt"),
            Record("hi", "a fairly long answer that will not fit into sixteen tokens at all, not even close", "long answer"),
        };
        var (examples, summary) = encoder.Encode(records);
        Assert.Equal(["short", "long answer"], examples.Select(e => e.Id));
        Assert.Equal(2, summary.Truncated);
        Assert.Equal(1, summary.Dropped);
        Assert.All(examples, e => Assert.True(e.Length <= 16));
        Assert.False(examples[0].Truncated);
        var cut = examples[1];
        Assert.True(cut.Truncated);
        Assert.NotEqual(tokenizer.TokenToId("<｜end▁of▁sentence｜>"), cut.InputIds[^1]);
        Assert.Equal(summary.TruncatedTokens, records.Sum(r => encoder.Encode([r]).Summary.TruncatedTokens));
    }

    [Fact]
    public void A_system_prompt_is_added_to_records_without_one()
    {
        var tokenizer = R1Tokenizer.Value;
        var encoder = new ExampleEncoder(tokenizer, ChatTemplates.Get("deepseek-r1"), new ChatRenderOptions(), "你是客服。", 256);
        var (examples, _) = encoder.Encode([Record("hi", "ok")]);
        Assert.StartsWith("<｜begin▁of▁sentence｜>你是客服。<｜User｜>hi", tokenizer.Decode(examples[0].InputIds));
    }

    [Fact]
    public void Right_padded_rows_share_positions_and_need_no_mask()
    {
        var examples = TrainingFixtures.Examples(3, seed: 2);
        using var batch = BatchCollator.Collate([[0], [1], [2]], examples, CPU);
        var length = examples.Max(e => e.Length);
        Assert.Equal(new long[] { 3, length }, batch.InputIds.shape);
        Assert.Null(batch.AttentionMask);
        Assert.Equal(Enumerable.Range(0, length).Select(i => (long)i), batch.PositionIds.data<long>().ToArray());
        Assert.Equal(examples.Sum(e => e.TrainedTokens), batch.LossTokens);
        Assert.Equal(examples.Sum(e => e.Length), batch.Tokens);
        var rows = batch.LossRows.data<long>().ToArray();
        Assert.All(rows, r => Assert.True(r % length < examples[(int)(r / length)].Length - 1, "no loss is read from padding"));
    }

    [Fact]
    public void Packed_rows_restart_positions_and_never_attend_or_predict_across_examples()
    {
        var examples = TrainingFixtures.Examples(2, seed: 3);
        var (a, b) = (examples[0].Length, examples[1].Length);
        using var batch = BatchCollator.Collate([[0, 1]], examples, CPU);
        var positions = batch.PositionIds.data<long>().ToArray();
        Assert.Equal(Enumerable.Range(0, a).Concat(Enumerable.Range(0, b)).Select(i => (long)i), positions);
        var mask = batch.AttentionMask!;
        Assert.Equal(new long[] { 1, 1, a + b, a + b }, mask.shape);
        Assert.True(mask[0, 0, a + 1, a].item<bool>());           // second example sees its own start
        Assert.False(mask[0, 0, a + 1, a - 1].item<bool>());      // ... but nothing of the first
        Assert.False(mask[0, 0, 2, 3].item<bool>());              // causal inside the first
        var rows = batch.LossRows.data<long>().ToArray();
        Assert.DoesNotContain((long)(a - 1), rows);               // the first example's last token does not predict the second's first
        Assert.Equal(examples[0].TrainedTokens + examples[1].TrainedTokens, rows.Length);
    }

    [Fact]
    public void The_plan_is_a_function_of_the_seed_and_covers_every_example_once_per_epoch()
    {
        var examples = TrainingFixtures.Examples(37, seed: 4);
        var spec = TrainingFixtures.Spec(batch: 4, accumulation: 2, maxSteps: -1) with { NumTrainEpochs = 2 };
        var plan = TrainingPlan.Create(examples, spec);
        var again = TrainingPlan.Create(examples, spec);
        var other = TrainingPlan.Create(examples, spec with { Seed = 6 });
        IEnumerable<int> Order(TrainingPlan p) => p.Steps.SelectMany(s => s.MicroBatches).SelectMany(m => m).SelectMany(r => r);
        Assert.Equal(Order(plan), Order(again));
        Assert.NotEqual(Order(plan), Order(other));
        Assert.Equal(2 * 5, plan.TotalSteps);                     // ⌈37 / 4⌉ = 10 micro-batches, ⌈10 / 2⌉ = 5 steps per epoch
        foreach (var epoch in plan.Steps.GroupBy(s => s.Epoch))
            Assert.Equal(Enumerable.Range(0, 37), epoch.SelectMany(s => s.MicroBatches).SelectMany(m => m).SelectMany(r => r).Order());
        Assert.NotEqual(plan.Steps.Where(s => s.Epoch == 0).SelectMany(s => s.MicroBatches).SelectMany(m => m).SelectMany(r => r),
            plan.Steps.Where(s => s.Epoch == 1).SelectMany(s => s.MicroBatches).SelectMany(m => m).SelectMany(r => r));
        Assert.Equal(2.0, plan.Steps[^1].EpochProgress);
        Assert.Equal(3, TrainingPlan.Create(examples, spec with { NumTrainEpochs = 0.5 }).TotalSteps);   // ⌈0.5 · 5⌉
        Assert.Equal(12, TrainingPlan.Create(examples, spec with { MaxSteps = 12 }).TotalSteps);          // max_steps wins, into a third epoch
    }

    [Fact]
    public void Grouping_by_length_sorts_each_megabatch_longest_first()
    {
        var examples = TrainingFixtures.Examples(30, seed: 5);
        var plan = TrainingPlan.Create(examples, TrainingFixtures.Spec(batch: 2, maxSteps: -1) with { GroupByLength = true });
        var lengths = plan.Steps.SelectMany(s => s.MicroBatches).SelectMany(m => m).Select(r => examples[r[0]].Length).ToList();
        Assert.Equal(lengths.OrderByDescending(l => l), lengths);   // 30 examples fit in one megabatch of 50 steps
    }

    [Fact]
    public void Packing_fills_rows_up_to_max_seq_length()
    {
        var examples = TrainingFixtures.Examples(40, seed: 6);
        var spec = TrainingFixtures.Spec(batch: 2, maxSteps: -1) with { Packing = true, MaxSeqLength = 40 };
        var rows = TrainingPlan.Create(examples, spec).Steps.SelectMany(s => s.MicroBatches).SelectMany(m => m).ToList();
        Assert.All(rows, r => Assert.True(r.Sum(i => examples[i].Length) <= 40));
        Assert.True(rows.Count < 40 / 2, $"{rows.Count} rows for 40 examples of 6–20 tokens: packing should put several in a row");
        Assert.Equal(Enumerable.Range(0, 40), rows.SelectMany(r => r).Order());
    }

    [Fact]
    public void A_bad_record_line_names_the_file_and_line()
    {
        using var directory = new TempDirectory();
        var path = directory.File("train.jsonl");
        File.WriteAllLines(path, ["{\"id\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}", "{\"id\":\"b\",\"messages\":[{\"role\":\"user\"}]}"]);
        var error = Assert.Throws<EngineException>(() => TrainingRecordReader.Read(path));
        Assert.Equal($"{path}:2: messages[0] needs string \"role\" and \"content\"", error.Message);
    }
}
