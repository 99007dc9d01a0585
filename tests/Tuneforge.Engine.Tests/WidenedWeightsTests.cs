using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

/// <summary>bfloat16 weights with float32 math (what a CPU without native bfloat16 runs): the same numbers as a float32
/// model holding the bfloat16 values, forward and LoRA gradients, with the weights left in bfloat16.</summary>
public sealed class WidenedWeightsTests
{
    [Fact]
    public void Float32_math_on_bfloat16_weights_equals_the_float32_model_of_the_same_values()
    {
        using var directory = new TempDirectory();
        using (var model = TinyModels.Random(TinyModels.Qwen2(), seed: 3))
            PretrainedModel.Save(model, directory.Path, ScalarType.BFloat16);
        using var widened = PretrainedModel.Load(directory.Path, new ComputeOptions(CPU, ScalarType.BFloat16) { Activations = ScalarType.Float32 });
        using var reference = PretrainedModel.Load(directory.Path, ComputeOptions.Cpu(ScalarType.Float32));
        Assert.All(widened.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.Equal(ScalarType.Float32, widened.ActivationDType);

        using var ids = tensor(new long[] { 3, 14, 15, 92, 65, 35, 89, 79 }).view(1, -1);
        using var expected = reference.call(new CausalLMInput(ids)).Logits!;
        using var actual = widened.call(new CausalLMInput(ids)).Logits!;
        Assert.Equal(ScalarType.Float32, actual.dtype);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>():E2}");

        // LoRA on both: the adapters' gradients agree too (backward widens the frozen weights again).
        var settings = new LoraSettings(4, 8, 0, LoraTargets.Resolve(["q_proj", "v_proj", "down_proj"]), false);
        var gradients = new List<Tensor[]>();
        foreach (var model in new[] { reference, widened })
        {
            foreach (var parameter in model.parameters()) parameter.requires_grad = false;
            LoraInjector.Apply(model, settings, null, seed: 7);
            using (no_grad())
                foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.Contains("lora_B", StringComparison.Ordinal)))
                    parameter.normal_(0, 0.02, generator: new Generator(11));
            var logits = model.call(new CausalLMInput(ids)).Logits!;
            logits.logsumexp(-1).mean().backward();
            gradients.Add(model.named_parameters().Where(p => p.name.Contains("lora_", StringComparison.Ordinal)).Select(p => p.parameter.grad!).ToArray());
        }
        Assert.Equal(12, gradients[0].Length);
        for (var i = 0; i < gradients[0].Length; i++)
            Assert.True(gradients[1][i].allclose(gradients[0][i], rtol: 1e-4, atol: 1e-6), $"gradient {i} differs by {(gradients[1][i] - gradients[0][i]).abs().max().item<float>():E2}");
        Assert.True(gradients[0][0].abs().sum().item<float>() > 0, "no gradient reached the adapters");
    }

    [Fact]
    public void A_weight_larger_than_a_block_is_widened_a_block_of_rows_at_a_time_with_the_same_product_and_gradient()
    {
        using var generator = new Generator(5);
        using var weight = randn([5000, 4096], generator: generator).to_type(ScalarType.BFloat16);   // 20.5M values: two blocks
        using var x = randn([3, 4096], generator: generator);
        using var gradient = randn([3, 5000], generator: generator);
        using var wide = weight.to_type(ScalarType.Float32);

        Assert.Equal([(0L, 4096L), (4096L, 904L)], Tuneforge.Engine.Models.Layers.Projection.Blocks(5000, 4096));
        using var product = Tuneforge.Engine.Models.Layers.Projection.WidenedLinear(x, weight);
        using var expected = nn.functional.linear(x, wide);
        Assert.True(product.allclose(expected, rtol: 1e-5, atol: 1e-4), $"product differs by {(product - expected).abs().max().item<float>():E2}");
        using var backward = Tuneforge.Engine.Models.Layers.Projection.WidenedBackward(gradient, weight);
        using var expectedBackward = gradient.matmul(wide);
        Assert.True(backward.allclose(expectedBackward, rtol: 1e-5, atol: 1e-4), $"gradient differs by {(backward - expectedBackward).abs().max().item<float>():E2}");
    }

    [Fact]
    public void Without_a_graph_to_record_a_weight_that_requires_grad_is_widened_into_the_reused_buffer()
    {
        using var generator = new Generator(9);
        using var weight = new TorchSharp.Modules.Parameter(randn([96, 64], generator: generator).to_type(ScalarType.BFloat16), requires_grad: true);
        using var x = randn([2, 64], generator: generator);
        var buffer = Tuneforge.Engine.Models.Layers.Projection.BlockBuffer(96, 64, ScalarType.Float32, CPU);
        buffer.zero_();
        using var expected = nn.functional.linear(x, weight.detach().to_type(ScalarType.Float32));

        using (no_grad())
        {
            using var product = Tuneforge.Engine.Models.Layers.Projection.Product(x, weight);
            Assert.True(product.allclose(expected, rtol: 1e-6, atol: 1e-6));
        }
        // The buffer holds the widened weight: the product did not make a fresh float32 copy of it.
        using var widened = weight.detach().to_type(ScalarType.Float32);
        Assert.Equal(0f, (buffer - widened).abs().max().item<float>());

        // With a graph to record, the weight's gradient still flows (the fresh copy, which autograd differentiates).
        using var withGraph = Tuneforge.Engine.Models.Layers.Projection.Product(x, weight);
        withGraph.sum().backward();
        Assert.NotNull(weight.grad);
        Assert.True(weight.grad!.abs().sum().to_type(ScalarType.Float32).item<float>() > 0);
    }
}
