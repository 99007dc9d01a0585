using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Models.Layers;
using Tuneforge.Engine.Tests.TestSupport;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

public sealed class LoraTests
{
    // base W [2, 2], bias [2]; A [r=2, in=2]; B [out=2, r=2]; x [1, 2].
    private static (Projection Base, LoraLinear Lora) HandMade(bool rslora, double dropout = 0, DropoutSource? source = null)
    {
        var projection = new Projection(2, 2, hasBias: true, CPU, ScalarType.Float32);
        using (no_grad())
        {
            projection.Weight.copy_(tensor(new float[] { 1, 2, 3, 4 }).view(2, 2));
            projection.Bias!.copy_(tensor(new float[] { 0.5f, -0.5f }));
        }
        var settings = new LoraSettings(Rank: 2, Alpha: 4, Dropout: dropout, TargetModules: ["q_proj"], UseRslora: rslora);
        var lora = new LoraLinear(projection, 2, 2, settings, source, CPU);
        using (no_grad())
        {
            lora.A.copy_(tensor(new float[] { 1, 0, 0.5f, -1 }).view(2, 2));
            lora.B.copy_(tensor(new float[] { 2, 1, 0, 3 }).view(2, 2));
        }
        return (projection, lora);
    }

    [Fact]
    public void Lora_adds_B_A_x_times_alpha_over_r_to_the_base_output()
    {
        var (_, lora) = HandMade(rslora: false);
        lora.eval();
        using var y = lora.call(tensor(new float[] { 1, 2 }).view(1, 2));
        // base: W x + b = [1+4, 3+8] + [0.5, -0.5] = [5.5, 10.5]
        // A x = [1, 0.5 - 2] = [1, -1.5];  B (A x) = [2 - 1.5, 0 - 4.5] = [0.5, -4.5];  scaling = 4 / 2 = 2
        Assert.Equal(new[] { 6.5f, 1.5f }, y.data<float>().ToArray());
        Assert.Equal(2.0, lora.Scaling);
    }

    [Fact]
    public void Rslora_scales_by_alpha_over_the_square_root_of_r()
    {
        var (_, lora) = HandMade(rslora: true);
        lora.eval();
        using var y = lora.call(tensor(new float[] { 1, 2 }).view(1, 2));
        var scaling = 4 / Math.Sqrt(2);
        Assert.Equal(scaling, lora.Scaling, 12);
        Assert.Equal(5.5 + 0.5 * scaling, y[0, 0].item<float>(), 5);
        Assert.Equal(10.5 - 4.5 * scaling, y[0, 1].item<float>(), 5);
    }

    [Fact]
    public void Dropout_masks_only_the_adapter_input_and_only_in_training()
    {
        using var source = new DropoutSource(3);
        var (_, lora) = HandMade(rslora: false, dropout: 0.5, source);
        using var x = ones(4000, 2);
        lora.eval();
        using var evaluated = lora.call(x);
        // A 1 = [1, -0.5], B A 1 = [1.5, -1.5], times 2: the base [3.5, 6.5] plus [3, -3].
        Assert.True(evaluated.allclose(tensor(new float[] { 6.5f, 3.5f }).expand(4000, 2)));
        lora.train();
        using var trained = lora.call(x);
        var rows = trained.data<float>().ToArray().Chunk(2).Select(r => (r[0], r[1])).ToList();
        // Each input element is dropped (0) or kept ×2, so the update takes one of four values; the base part never changes.
        var allowed = new HashSet<(float, float)>();
        foreach (var a in new[] { 0f, 2f })
        foreach (var b in new[] { 0f, 2f })
        {
            var ax = new[] { 1 * a + 0 * b, 0.5f * a - 1 * b };
            allowed.Add((3.5f + 2 * (2 * ax[0] + 1 * ax[1]), 6.5f + 2 * (0 * ax[0] + 3 * ax[1])));
        }
        Assert.All(rows, r => Assert.Contains(r, allowed));
        Assert.Equal(4, rows.Distinct().Count());
        Assert.InRange(rows.Count(r => r == (3.5f, 6.5f)) / 4000.0, 0.2, 0.3);   // both dropped: p² = 0.25
    }

    [Fact]
    public void Injection_initializes_A_kaiming_uniform_and_B_zero_so_the_model_is_unchanged()
    {
        using var model = TinyModels.Random(TinyModels.Qwen2(), seed: 1);
        long[][] ids = [[3, 9, 27, 81, 5, 15]];
        var before = TrainingFixtures.Logits(model, ids);
        var settings = new LoraSettings(8, 16, 0, LoraTargets.Resolve(["all-linear"]), false);
        var layers = LoraInjector.Apply(model, settings, null, seed: 11);
        Assert.Equal(2 * 7, layers.Count);
        Assert.Equal(before, TrainingFixtures.Logits(model, ids));
        foreach (var (_, layer) in layers)
        {
            var bound = 1 / Math.Sqrt(layer.InFeatures);
            var a = layer.A.data<float>().ToArray();
            Assert.All(a, v => Assert.InRange(v, -bound, bound));
            Assert.InRange(a.Select(v => v * v).Average(), bound * bound / 3 * 0.7, bound * bound / 3 * 1.3);   // U(−b, b) has variance b²/3
            Assert.All(layer.B.data<float>().ToArray(), v => Assert.Equal(0f, v));
        }
        Assert.All(model.named_parameters(), p => Assert.Equal(p.name.Contains(".lora_"), p.parameter.requires_grad));
    }

    [Fact]
    public void Adapter_tensors_carry_peft_names_and_shapes()
    {
        using var model = TinyModels.Random(TinyModels.Qwen2(), seed: 1);
        var settings = new LoraSettings(4, 8, 0, LoraTargets.Resolve(["v_proj", "q_proj", "down_proj"]), false);
        LoraInjector.Apply(model, settings, null, 0);
        var shapes = PeftAdapter.Tensors(model, settings).ToDictionary(t => t.Key, t => string.Join("x", t.Value.shape));
        // hidden 64, 4 heads × 16 = 64 for q, 2 KV heads × 16 = 32 for v, FFN 128.
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < 2; i++)
        {
            expected[$"base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight"] = "4x64";
            expected[$"base_model.model.model.layers.{i}.self_attn.q_proj.lora_B.weight"] = "64x4";
            expected[$"base_model.model.model.layers.{i}.self_attn.v_proj.lora_A.weight"] = "4x64";
            expected[$"base_model.model.model.layers.{i}.self_attn.v_proj.lora_B.weight"] = "32x4";
            expected[$"base_model.model.model.layers.{i}.mlp.down_proj.lora_A.weight"] = "4x128";
            expected[$"base_model.model.model.layers.{i}.mlp.down_proj.lora_B.weight"] = "64x4";
        }
        Assert.Equal(expected.OrderBy(e => e.Key), shapes.OrderBy(e => e.Key));
    }

    [Fact]
    public void Saved_adapter_is_a_peft_folder_and_loading_it_back_reproduces_the_logits()
    {
        using var directory = new TempDirectory();
        long[][] ids = [[3, 9, 27, 81, 5, 15, 45, 40], [7, 21, 63, 93, 87, 69, 15, 2]];
        var settings = new LoraSettings(4, 8, 0.05, LoraTargets.Resolve(["all-linear"]), UseRslora: true);
        float[] trained;
        using (var model = TinyModels.Random(TinyModels.Qwen2(), seed: 4))
        {
            LoraInjector.Apply(model, settings, null, seed: 2);
            using (no_grad())
            using (var g = new Generator(9))
                foreach (var (_, layer) in LoraInjector.Find(model)) layer.B.normal_(0, 0.3, g);   // as if trained
            model.eval();
            trained = TrainingFixtures.Logits(model, ids);
            PeftAdapter.Save(model, settings, new AdapterOrigin("org/base", "0123456789abcdef0123456789abcdef01234567"), directory.File("adapter"));
        }

        var config = JsonNode.Parse(File.ReadAllText(directory.File("adapter/adapter_config.json")))!.AsObject();
        Assert.Equal(config.Select(p => p.Key).Order(StringComparer.Ordinal), config.Select(p => p.Key));   // sorted, as PEFT writes
        Assert.Equal("LORA", (string?)config["peft_type"]);
        Assert.Equal("CAUSAL_LM", (string?)config["task_type"]);
        Assert.Equal(4, (int)config["r"]!);
        Assert.Equal("8", config["lora_alpha"]!.ToJsonString());
        Assert.True((bool)config["use_rslora"]!);
        Assert.Equal("none", (string?)config["bias"]);
        Assert.Equal("org/base", (string?)config["base_model_name_or_path"]);
        Assert.Equal(["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"], config["target_modules"]!.AsArray().Select(n => (string)n!));
        var header = SafeTensorsHeader.Read(directory.File("adapter/adapter_model.safetensors"));
        Assert.Equal("pt", header.Metadata["format"]);
        Assert.All(header.Entries.Values, e => Assert.Equal("F32", e.DTypeName));
        Assert.Equal(2 * 7 * 2, header.Entries.Count);

        using var reloaded = TinyModels.Random(TinyModels.Qwen2(), seed: 4);
        var before = TrainingFixtures.Logits(reloaded, ids);
        var loaded = PeftAdapter.Apply(reloaded, directory.File("adapter"));
        Assert.True(loaded.SameAs(settings));
        reloaded.eval();
        Assert.Equal(trained, TrainingFixtures.Logits(reloaded, ids));
        Assert.True(before.Zip(trained).Max(p => Math.Abs(p.First - p.Second)) > 0.1, "the adapter must change the logits for this test to mean anything");
    }

    [Fact]
    public void An_adapter_for_another_model_is_refused_with_the_names_and_shapes()
    {
        using var directory = new TempDirectory();
        var settings = new LoraSettings(4, 8, 0, LoraTargets.Resolve(["q_proj"]), false);
        using (var model = TinyModels.Random(TinyModels.Qwen2(), seed: 4))
        {
            LoraInjector.Apply(model, settings, null, 0);
            PeftAdapter.Save(model, settings, new AdapterOrigin("x"), directory.Path);
        }
        using var other = TinyModels.Random(TinyModels.Qwen3(), seed: 4);   // head_dim 24: q_proj is 96 wide
        var error = Assert.Throws<CheckpointException>(() => PeftAdapter.Apply(other, directory.Path));
        Assert.Contains("the adapter does not fit the model", error.Message);
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight: expected [96, 4], found [64, 4]", error.Message);
    }

    [Theory]
    [InlineData("c_attn", "'c_attn' is not a linear layer of this model")]
    [InlineData("lm_head", "lm_head is not supported")]
    public void Unknown_target_modules_are_named(string name, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => LoraTargets.Resolve([name]));
        Assert.Contains(message, error.Message);
    }
}
