using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models.Layers;

/// <summary>One pre-norm block (HF's <c>model.layers.N</c>): x + attn(norm(x)), then + mlp(norm(·)).</summary>
public sealed class DecoderLayer : nn.Module<LayerInput, Tensor>
{
    [ComponentName(Name = "input_layernorm")] private readonly RmsNorm _inputNorm;
    [ComponentName(Name = "self_attn")] private readonly Attention _attention;
    [ComponentName(Name = "post_attention_layernorm")] private readonly RmsNorm _postAttentionNorm;
    [ComponentName(Name = "mlp")] private readonly Mlp _mlp;

    public DecoderLayer(ModelConfig config, Device device, ScalarType dtype) : base(nameof(DecoderLayer))
    {
        _inputNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        _attention = new Attention(config, device, dtype);
        _postAttentionNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        _mlp = new Mlp(config, device, dtype);
        register_module("input_layernorm", _inputNorm);
        register_module("self_attn", _attention);
        register_module("post_attention_layernorm", _postAttentionNorm);
        register_module("mlp", _mlp);
    }

    public Attention SelfAttention => _attention;
    public Mlp FeedForward => _mlp;

    public override Tensor forward(LayerInput input)
    {
        using var scope = NewDisposeScope();
        var attended = _attention.call(input with { Hidden = _inputNorm.call(input.Hidden) });
        var hidden = input.Hidden + attended;
        var output = hidden + _mlp.call(_postAttentionNorm.call(hidden));
        return output.MoveToOuterDisposeScope();
    }
}
