using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using Tuneforge.Engine.Models.Layers;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models;

/// <summary>The transformer body (HF's <c>model</c>): embed_tokens, layers, norm. Returns normed hidden states.</summary>
public sealed class DecoderModel : nn.Module<DecoderInput, Tensor>
{
    [ComponentName(Name = "embed_tokens")] private readonly TokenEmbedding _embedTokens;
    [ComponentName(Name = "layers")] private readonly ModuleList<DecoderLayer> _layers;
    [ComponentName(Name = "norm")] private readonly RmsNorm _norm;
    private readonly RotaryEmbedding _rotary;
    private readonly ScalarType _activations;

    public DecoderModel(ModelConfig config, Device device, ScalarType dtype, ScalarType? activations = null) : base(nameof(DecoderModel))
    {
        _activations = activations ?? dtype;
        _embedTokens = new TokenEmbedding(config.VocabSize, config.HiddenSize, device, dtype);
        _layers = new ModuleList<DecoderLayer>();
        for (var i = 0; i < config.NumHiddenLayers; i++) _layers.Add(new DecoderLayer(config, device, dtype));
        _norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        _rotary = new RotaryEmbedding(config.HeadDim, config.RopeTheta, config.RopeScaling);
        register_module("embed_tokens", _embedTokens);
        register_module("layers", _layers);
        register_module("norm", _norm);
    }

    public TokenEmbedding EmbedTokens => _embedTokens;

    /// <summary>The embeddings of <paramref name="ids"/> in the activation dtype, which every layer after computes in.</summary>
    public Tensor Embed(Tensor ids)
    {
        var rows = _embedTokens.call(ids);
        if (rows.dtype == _activations) return rows;
        using (rows) return rows.to_type(_activations);
    }
    public IReadOnlyList<DecoderLayer> Layers => _layers.ToList();
    public RotaryEmbedding Rotary => _rotary;
    public RmsNorm Norm => _norm;

    public override Tensor forward(DecoderInput input)
    {
        using var scope = NewDisposeScope();
        var ids = input.InputIds;
        var (batch, length) = (ids.shape[0], ids.shape[1]);
        var past = input.Cache?.Length ?? 0;

        var hidden = Embed(ids);                                                       // (B, T, H)
        var positions = input.PositionIds ?? DefaultPositions(input.AttentionMask, batch, length, past, ids.device);
        var (cos, sin) = _rotary.Compute(positions, hidden.dtype);                    // (B, 1, T, D)

        // Without padding a fresh sequence is plainly causal, and one new token may see everything before it.
        var isCausal = input.AttentionMask is null && past == 0 && length > 1;
        var mask = input.AttentionMask is null ? null : BuildMask(input.AttentionMask, length, past);
        if (mask is null && !isCausal && length > 1) mask = BuildMask(ones(batch, past + length, ScalarType.Int64, ids.device), length, past);

        for (var i = 0; i < _layers.Count; i++)
            hidden = _layers[i].call(new LayerInput(hidden, cos, sin, mask, isCausal, input.Cache, i));
        input.Cache?.Advance(length);
        return _norm.call(hidden).MoveToOuterDisposeScope();
    }

    // Left padding: each row counts positions from its first real token.
    private static Tensor DefaultPositions(Tensor? attentionMask, long batch, long length, long past, Device device)
    {
        if (attentionMask is null) return arange(past, past + length, ScalarType.Int64, device).unsqueeze(0).expand(batch, length);
        var counted = attentionMask.to_type(ScalarType.Int64).cumsum(1, ScalarType.Int64) - 1;
        return counted.clamp_min(0).narrow(1, past, length);
    }

    /// <summary>
    /// (B, 1, T, S) boolean: key j is visible to query i when j ≤ past + i and j is not padding. Every query also sees
    /// itself, so a padding row never has all keys masked (which would turn its values, and later rows, into NaN).
    /// </summary>
    internal static Tensor BuildMask(Tensor attentionMask, long length, long past)
    {
        using var scope = NewDisposeScope();
        var total = attentionMask.shape[1];
        if (total != past + length)
            throw new ArgumentException($"attention mask covers {total} positions; expected past {past} + new {length}");
        var device = attentionMask.device;
        var keys = arange(total, ScalarType.Int64, device).view(1, 1, 1, total);
        var queries = (arange(length, ScalarType.Int64, device) + past).view(1, 1, length, 1);
        var notPadding = attentionMask.to_type(ScalarType.Bool).view(attentionMask.shape[0], 1, 1, total);
        var visible = keys.le(queries).logical_and(notPadding).logical_or(keys.eq(queries));
        return visible.MoveToOuterDisposeScope();
    }
}
