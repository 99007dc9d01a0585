using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Merging;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Engine.Training.Optimization;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

/// <summary>modules_to_save: the final norm trains beside the adapters, is saved under PEFT's name and replaces the base's copy.</summary>
public sealed class SavedModulesTests
{
    private static readonly long[][] Ids = [[3, 9, 27, 81, 5, 15, 45, 40], [7, 21, 63, 93, 87, 69, 15, 2]];
    private static LoraSettings WithNorm => new(4, 8, 0, LoraTargets.Resolve(["all-linear"]), false, SavedModules.Resolve(["norm"]));

    [Fact]
    public void Norm_means_the_final_norm_only_and_it_trains_while_the_layer_norms_stay_frozen()
    {
        using var model = TinyModels.Random(TinyModels.Qwen2(), seed: 4);
        LoraInjector.Apply(model, WithNorm, null, seed: 2);

        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Contains("model.norm.weight", trainable);
        Assert.DoesNotContain(trainable, n => n.EndsWith("layernorm.weight", StringComparison.Ordinal));
        var saved = PeftAdapter.Tensors(model, WithNorm).Keys.Where(k => !k.Contains(".lora_", StringComparison.Ordinal)).ToList();
        Assert.Equal(["base_model.model.model.norm.weight"], saved);
    }

    [Fact]
    public void The_trained_norm_is_saved_in_the_adapter_and_applying_or_merging_it_reproduces_the_logits()
    {
        using var directory = new TempDirectory();
        float[] trained;
        using (var model = TinyModels.Random(TinyModels.Qwen2(), seed: 4))
        {
            LoraInjector.Apply(model, WithNorm, null, seed: 2);
            using (no_grad())
            using (var g = new Generator(9))
            {
                foreach (var (_, layer) in LoraInjector.Find(model)) layer.B.normal_(0, 0.3, g);   // as if trained
                model.Model.Norm.Weight.mul_(3);
            }
            model.eval();
            trained = TrainingFixtures.Logits(model, Ids);
            PeftAdapter.Save(model, WithNorm, new AdapterOrigin("org/base"), directory.File("adapter"));
        }
        var config = JsonNode.Parse(File.ReadAllText(directory.File("adapter/adapter_config.json")))!;
        Assert.Equal(["norm"], config["modules_to_save"]!.AsArray().Select(n => (string)n!));
        var header = SafeTensorsHeader.Read(directory.File("adapter/adapter_model.safetensors"));
        Assert.Equal([64L], header.Entries["base_model.model.model.norm.weight"].Shape);

        using var applied = TinyModels.Random(TinyModels.Qwen2(), seed: 4);
        var before = TrainingFixtures.Logits(applied, Ids);
        Assert.True(PeftAdapter.Apply(applied, directory.File("adapter")).SameAs(WithNorm));
        applied.eval();
        Assert.Equal(trained, TrainingFixtures.Logits(applied, Ids));

        using var merged = TinyModels.Random(TinyModels.Qwen2(), seed: 4);
        using (var adapter = LoraAdapterFiles.Read(directory.File("adapter")))
            Assert.Equal(14 + 1, AdapterMerger.Merge(merged, adapter));
        var difference = trained.Zip(TrainingFixtures.Logits(merged, Ids)).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(difference < 1e-4, $"merged vs applied: max |Δlogit| = {difference:E2}");

        // The streamed merge (Quantize's) writes the adapter's norm in place of the base's.
        using (var model = TinyModels.Random(TinyModels.Qwen2(), seed: 4)) PretrainedModel.Save(model, directory.File("base"), ScalarType.Float32);
        Directory.CreateDirectory(directory.File("tokenizer"));
        File.WriteAllText(directory.File("tokenizer/tokenizer.json"), "{}");
        using (var source = new CheckpointWeights(directory.File("base")))
        using (var adapter = LoraAdapterFiles.Read(directory.File("adapter")))
            MergedModelWriter.Write(source, adapter, directory.File("merged"), directory.File("tokenizer"), directory.File("base"), null, ScalarType.Float32);
        using var streamed = PretrainedModel.Load(directory.File("merged"), ComputeOptions.Cpu());
        var streamedDifference = trained.Zip(TrainingFixtures.Logits(streamed, Ids)).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(streamedDifference < 1e-4, $"streamed merge vs applied: max |Δlogit| = {streamedDifference:E2}");
        Assert.True(before.Zip(trained).Max(p => Math.Abs(p.First - p.Second)) > 0.1, "the adapter must change the logits for this test to mean anything");
    }

    // A small-init tied head (std 0.02, as Hugging Face initializes) under a frozen norm caps every logit at
    // |g ⊙ ĥ| · |e_v|: LoRA ranks the answer first but cannot make it likely. Training the final norm lifts the cap.
    [Fact]
    public void Training_the_final_norm_lets_lora_make_a_memorized_answer_likely_where_the_frozen_norm_caps_it()
    {
        var frozen = FitOneSequence(modulesToSave: []);
        var withNorm = FitOneSequence(modulesToSave: ["norm"]);
        // ln 96 − 0.02 · 64 = 3.28: the cap with the target logit at its bound and the rest at 0.
        Assert.True(frozen > 3.0, $"with the norm frozen the loss should stay at the cap, got {frozen:F3}");
        Assert.True(withNorm < 1.0, $"with the norm trained the loss should fall below the cap, got {withNorm:F3}");
    }

    private static double FitOneSequence(IReadOnlyList<string> modulesToSave)
    {
        var spec = TrainingFixtures.Spec() with { Lora = new LoraSpec { R = 8, LoraAlpha = 16, LoraDropout = 0, TargetModules = ["all-linear"], ModulesToSave = [.. modulesToSave] } };
        var model = TinyModels.Random(TinyModels.Qwen2(tied: true), seed: 3);
        using (no_grad())
        using (var g = new Generator(4))
            model.Model.EmbedTokens.Weight.normal_(0, 0.02, g);
        using var trainable = TrainableModel.Create(model, TrainingFixtures.Options(spec), seed: 5);
        using var adam = new AdamW(trainable.Parameters, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0);
        var ids = tensor(Ids[0]).view(1, -1);
        var loss = double.NaN;
        for (var step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            trainable.ZeroGrad();
            var logits = model.call(new CausalLMInput(ids)).Logits!;
            var value = nn.functional.cross_entropy(logits[0, ..^1], ids[0, 1..]);
            value.backward();
            trainable.CollectGrads();
            adam.Step(0.02);
            trainable.PushToLive();
            loss = value.item<float>();
        }
        return loss;
    }

    [Theory]
    [InlineData("lm_head", "'lm_head' is not supported")]
    [InlineData("embed_tokens", "'embed_tokens' is not supported")]
    [InlineData("mlp", "'mlp' is not a normalization layer of this model")]
    public void Modules_other_than_norms_are_refused_with_the_name(string name, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => SavedModules.Resolve([name]));
        Assert.Contains(message, error.Message);
        Assert.Contains("train.lora.modules_to_save", error.Message);
    }

    [Fact]
    public void An_adapter_config_asking_for_another_module_to_save_is_refused_naming_the_key()
    {
        using var directory = new TempDirectory();
        using (var model = TinyModels.Random(TinyModels.Qwen2(), seed: 4))
        {
            LoraInjector.Apply(model, WithNorm, null, 0);
            PeftAdapter.Save(model, WithNorm, new AdapterOrigin("x"), directory.Path);
        }
        var path = directory.File("adapter_config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"norm\"", "\"lm_head\"", StringComparison.Ordinal));
        var error = Assert.Throws<CheckpointException>(() => PeftAdapterConfig.Read(directory.Path));
        Assert.Contains($"{path}: modules_to_save:", error.Message);
        Assert.Contains("'lm_head' is not supported", error.Message);
    }

    [Fact]
    public void A_qwen2_model_asked_for_q_norm_says_which_architecture_has_it()
    {
        using var model = TinyModels.Random(TinyModels.Qwen2(), seed: 4);
        var settings = WithNorm with { ModulesToSave = SavedModules.Resolve(["q_norm"]) };
        var error = Assert.Throws<EngineException>(() => LoraInjector.Apply(model, settings, null, 0));
        Assert.Contains("this model has no q_norm layer", error.Message);
    }
}
