using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models.Layers;

/// <summary>
/// Grouped-query self-attention (HF's <c>self_attn</c>): q/k/v/o projections, optional per-head q/k RMSNorm (Qwen3),
/// RoPE, and scaled_dot_product_attention with K/V repeated to the query heads.
/// </summary>
public sealed class Attention : nn.Module<LayerInput, Tensor>
{
    [ComponentName(Name = "q_proj")] private nn.Module<Tensor, Tensor> _qProj;
    [ComponentName(Name = "k_proj")] private nn.Module<Tensor, Tensor> _kProj;
    [ComponentName(Name = "v_proj")] private nn.Module<Tensor, Tensor> _vProj;
    [ComponentName(Name = "o_proj")] private nn.Module<Tensor, Tensor> _oProj;
    [ComponentName(Name = "q_norm")] private readonly RmsNorm? _qNorm;
    [ComponentName(Name = "k_norm")] private readonly RmsNorm? _kNorm;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;

    public Attention(ModelConfig config, Device device, ScalarType dtype) : base(nameof(Attention))
    {
        var traits = config.Traits;
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _qProj = new Projection(config.HiddenSize, _heads * _headDim, traits.QkvBias, device, dtype);
        _kProj = new Projection(config.HiddenSize, _kvHeads * _headDim, traits.QkvBias, device, dtype);
        _vProj = new Projection(config.HiddenSize, _kvHeads * _headDim, traits.QkvBias, device, dtype);
        _oProj = new Projection(_heads * _headDim, config.HiddenSize, traits.OutputBias, device, dtype);
        register_module("q_proj", _qProj);
        register_module("k_proj", _kProj);
        register_module("v_proj", _vProj);
        register_module("o_proj", _oProj);
        if (traits.QkNorm)
        {
            _qNorm = new RmsNorm(_headDim, config.RmsNormEps, device, dtype);
            _kNorm = new RmsNorm(_headDim, config.RmsNormEps, device, dtype);
            register_module("q_norm", _qNorm);
            register_module("k_norm", _kNorm);
        }
    }

    public static readonly IReadOnlyList<string> ProjectionNames = ["q_proj", "k_proj", "v_proj", "o_proj"];

    /// <summary>The projection registered under <paramref name="name"/> (q_proj, k_proj, v_proj, o_proj).</summary>
    public nn.Module<Tensor, Tensor> GetProjection(string name) => name switch
    {
        "q_proj" => _qProj,
        "k_proj" => _kProj,
        "v_proj" => _vProj,
        "o_proj" => _oProj,
        _ => throw new ArgumentException($"no projection '{name}' in self_attn", nameof(name)),
    };

    /// <summary>Swaps a projection for a wrapper (e.g. a LoRA layer) under the same name.</summary>
    public void ReplaceProjection(string name, nn.Module<Tensor, Tensor> replacement)
    {
        _ = GetProjection(name);
        register_module(name, null!);   // unregisters the old module
        register_module(name, replacement);
        switch (name)
        {
            case "q_proj": _qProj = replacement; break;
            case "k_proj": _kProj = replacement; break;
            case "v_proj": _vProj = replacement; break;
            default: _oProj = replacement; break;
        }
    }

    public override Tensor forward(LayerInput input)
    {
        using var scope = NewDisposeScope();
        var hidden = input.Hidden;
        var batch = hidden.shape[0];
        var length = hidden.shape[1];

        var q = _qProj.call(hidden).view(batch, length, _heads, _headDim);      // (B, T, H, D)
        var k = _kProj.call(hidden).view(batch, length, _kvHeads, _headDim);    // (B, T, KV, D)
        var v = _vProj.call(hidden).view(batch, length, _kvHeads, _headDim);
        if (_qNorm is not null) q = _qNorm.call(q);
        if (_kNorm is not null) k = _kNorm!.call(k);

        q = RotaryEmbedding.Apply(q.transpose(1, 2), input.Cos, input.Sin);      // (B, H, T, D)
        k = RotaryEmbedding.Apply(k.transpose(1, 2), input.Cos, input.Sin);      // (B, KV, T, D)
        v = v.transpose(1, 2);
        if (input.Cache is not null) (k, v) = input.Cache.Update(input.LayerIndex, k, v); // (B, KV, S, D)

        Tensor attended;
        if (length == 1 && _heads != _kvHeads)
        {
            // One new token: the query heads of a group share a K/V head, so they become that head's query rows
            // instead of copying the whole cached K/V once per query head (the decode step's largest cost).
            var grouped = q.reshape(batch, _kvHeads, _heads / _kvHeads, _headDim);          // (B, KV, H/KV, D)
            attended = nn.functional.scaled_dot_product_attention(grouped, k, v, input.Mask)
                .reshape(batch, _heads, 1, _headDim);                                       // (B, H, 1, D)
        }
        else
        {
            k = RepeatToQueryHeads(k);                                                      // (B, H, S, D)
            v = RepeatToQueryHeads(v);
            attended = input.Kernel?.Attend(q, k, v, input.Mask, input.IsCausal)
                       ?? nn.functional.scaled_dot_product_attention(q, k, v, input.Mask, is_casual: input.IsCausal);
        }
        var merged = attended.transpose(1, 2).reshape(batch, length, _heads * _headDim); // (B, T, H*D)
        return _oProj.call(merged).MoveToOuterDisposeScope();
    }

    // SDPA here has no grouped-query option: each K/V head serves heads/kv_heads query heads.
    private Tensor RepeatToQueryHeads(Tensor x)
    {
        var groups = _heads / _kvHeads;
        if (groups == 1) return x;
        var (b, s) = (x.shape[0], x.shape[2]);
        return x.unsqueeze(2).expand(b, _kvHeads, groups, s, _headDim).reshape(b, _heads, s, _headDim);
    }
}
