using Tuneforge.Data.Training;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Engine.Training.Preference;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

/// <summary>Preference training on pairs whose chosen answers use low token ids and rejected ones high ids: the first
/// loss is the objective's value at the reference (B = 0), and held-out pairs come to be preferred.</summary>
public sealed class PreferenceTrainerTests
{
    [Fact]
    public void Dpo_starts_at_ln2_and_learns_to_prefer_the_chosen_answers_of_unseen_prompts()
    {
        var (train, heldOut) = (Pairs(16, seed: 1), Pairs(8, seed: 2));
        using var model = Trainable();
        var spec = new PreferenceSpec { Method = PreferenceMethod.Dpo, Beta = 0.5 };
        var before = HeldOutAccuracy(model, spec, heldOut);
        var logs = new PreferenceTrainer(model, TrainingFixtures.Spec(batch: 4), spec).Run(train, [], steps: 24);
        Assert.Equal(Math.Log(2), logs[0].Loss, 6);
        Assert.Equal(0.0, logs[0].RewardMargin, 6);
        Assert.True(logs.TakeLast(4).Average(l => l.Loss) < 0.5 * Math.Log(2), $"last losses {string.Join(", ", logs.TakeLast(4).Select(l => l.Loss))}");
        var after = HeldOutAccuracy(model, spec, heldOut);
        Assert.True(after >= 0.875 && after > before, $"held-out reward accuracy {before} -> {after}");
    }

    [Fact]
    public void Kto_starts_at_half_its_weight_and_lowers_its_loss_on_unpaired_labels()
    {
        var labelled = Pairs(16, seed: 3).SelectMany(p => new[] { new LabelledExample(p.Chosen, true), new LabelledExample(p.Rejected, false) }).ToList();
        using var model = Trainable();
        var spec = new PreferenceSpec { Method = PreferenceMethod.Kto, Beta = 0.5 };
        var logs = new PreferenceTrainer(model, TrainingFixtures.Spec(batch: 8), spec).Run([], labelled, steps: 16);
        Assert.Equal(0.5, logs[0].Loss, 6);
        Assert.True(logs.TakeLast(4).Average(l => l.Loss) < 0.4, $"last losses {string.Join(", ", logs.TakeLast(4).Select(l => l.Loss))}");
    }

    static TrainableModel Trainable()
    {
        var spec = TrainingFixtures.Spec();
        return TrainableModel.Create(TinyModels.Random(TinyModels.Qwen2(), seed: 7), TrainingFixtures.Options(spec), spec.Seed);
    }

    static double HeldOutAccuracy(TrainableModel model, PreferenceSpec spec, IReadOnlyList<PreferencePair> pairs)
    {
        model.Model.eval();
        using var _ = no_grad();
        var result = new PreferenceObjective(model.Model, spec, CPU).Pairs(pairs);
        var chosen = result.ChosenRewards.data<float>().ToArray();
        var rejected = result.RejectedRewards.data<float>().ToArray();
        model.Model.train();
        return chosen.Zip(rejected).Average(p => p.First > p.Second ? 1.0 : 0.0);
    }

    // A prompt of 3–6 tokens; the chosen answer from ids 2–40, the rejected one from 50–90, both ending in EOS.
    static List<PreferencePair> Pairs(int count, int seed)
    {
        var random = new Random(seed);
        EncodedExample Encode(int[] prompt, int low, int high)
        {
            int[] answer = [.. Enumerable.Range(0, random.Next(3, 7)).Select(_ => random.Next(low, high)), TrainingFixtures.Eos];
            int[] ids = [.. prompt, .. answer];
            return new EncodedExample("p", ids, [.. new bool[prompt.Length], .. Enumerable.Repeat(true, answer.Length)], ids.Length);
        }
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            int[] prompt = [0, .. Enumerable.Range(0, random.Next(2, 6)).Select(_ => random.Next(2, 96))];
            return new PreferencePair(Encode(prompt, 2, 41), Encode(prompt, 50, 91));
        })];
    }
}
