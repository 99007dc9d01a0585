using Tuneforge.Engine.Models;
using Tuneforge.Engine.Models.Layers;

namespace Tuneforge.Engine.Tests;

public sealed class ModelConfigTests
{
    [Fact]
    public void Llama3_rope_scaling_and_eos_lists_are_read()
    {
        var config = ModelConfig.Parse(RealConfigs.DeepSeekR1DistillLlama8B, "llama.json");
        Assert.Equal(ModelArchitecture.Llama, config.Architecture);
        Assert.Equal(new RopeScaling("llama3", 8, 1, 4, 8192), config.RopeScaling);
        Assert.Equal(128, config.HeadDim);
        Assert.Equal(1e-5, config.RmsNormEps);
        Assert.Equal([128001, 128008, 128009], config.EosTokenIds);
    }

    [Fact]
    public void Llama3_scaling_keeps_high_frequencies_and_divides_low_ones_by_the_factor()
    {
        var scaled = new RotaryEmbedding(128, 500_000, new RopeScaling("llama3", 8, 1, 4, 8192)).InverseFrequencies;
        var plain = new RotaryEmbedding(128, 500_000, null).InverseFrequencies;
        Assert.Equal(plain[0], scaled[0]);                        // wavelength 2π: untouched
        Assert.Equal(plain[^1] / 8, scaled[^1], 1e-12);           // wavelength ≫ 8192: divided by 8
        var medium = Enumerable.Range(0, 64).Where(i => scaled[i] != plain[i] && Math.Abs(scaled[i] - plain[i] / 8) > 1e-12 * plain[i]).ToList();
        Assert.NotEmpty(medium);                                  // the band between is interpolated
        Assert.All(medium, i => Assert.InRange(scaled[i], plain[i] / 8, plain[i]));
    }

    [Fact]
    public void Head_dim_from_config_wins_over_hidden_over_heads()
    {
        var json = RealConfigs.DeepSeekR1DistillQwen7B.Replace("\"architectures\": [\"Qwen2ForCausalLM\"]", "\"architectures\": [\"Qwen3ForCausalLM\"], \"head_dim\": 64");
        var config = ModelConfig.Parse(json, "qwen3.json");
        Assert.Equal(64, config.HeadDim);
        Assert.True(config.Traits.QkNorm);
    }

    [Theory]
    [InlineData("\"architectures\": [\"Qwen2ForCausalLM\"]", "\"architectures\": [\"MistralForCausalLM\"]", "cfg.json: architectures: 'MistralForCausalLM' is not supported")]
    [InlineData("\"hidden_size\": 3584,", "", "cfg.json: hidden_size: missing")]
    [InlineData("\"hidden_size\": 3584", "\"hidden_size\": \"big\"", "cfg.json: hidden_size: expected an integer, found \"big\"")]
    [InlineData("\"num_key_value_heads\": 4", "\"num_key_value_heads\": 5", "cfg.json: num_key_value_heads: 5 must be positive and divide num_attention_heads (28)")]
    [InlineData("\"rope_scaling\": null", "\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}", "rope_scaling.rope_type: 'yarn' is not supported")]
    [InlineData("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\"", "hidden_act: 'gelu' is not supported")]
    [InlineData("{", "{ oops", "cfg.json: invalid JSON at line 1")]
    public void Bad_configs_name_the_file_the_key_and_the_problem(string from, string to, string expected)
    {
        var json = RealConfigs.DeepSeekR1DistillQwen7B.Replace(from, to);
        var error = Assert.Throws<ModelConfigException>(() => ModelConfig.Parse(json, "cfg.json"));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Written_config_parses_back_to_the_same_record()
    {
        var config = ModelConfig.Parse(RealConfigs.DeepSeekR1DistillLlama8B, "llama.json");
        Assert.Equal(config, ModelConfig.Parse(config.ToJson().ToJsonString(), "again.json"));
    }
}
