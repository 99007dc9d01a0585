using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models.Layers;

/// <summary>SwiGLU feed-forward (HF's <c>mlp</c>): down(silu(gate(x)) * up(x)).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gate_proj")] private nn.Module<Tensor, Tensor> _gateProj;
    [ComponentName(Name = "up_proj")] private nn.Module<Tensor, Tensor> _upProj;
    [ComponentName(Name = "down_proj")] private nn.Module<Tensor, Tensor> _downProj;

    public Mlp(ModelConfig config, Device device, ScalarType dtype) : base(nameof(Mlp))
    {
        _gateProj = new Projection(config.HiddenSize, config.IntermediateSize, config.MlpBias, device, dtype);
        _upProj = new Projection(config.HiddenSize, config.IntermediateSize, config.MlpBias, device, dtype);
        _downProj = new Projection(config.IntermediateSize, config.HiddenSize, config.MlpBias, device, dtype);
        register_module("gate_proj", _gateProj);
        register_module("up_proj", _upProj);
        register_module("down_proj", _downProj);
    }

    public static readonly IReadOnlyList<string> ProjectionNames = ["gate_proj", "up_proj", "down_proj"];

    public nn.Module<Tensor, Tensor> GetProjection(string name) => name switch
    {
        "gate_proj" => _gateProj,
        "up_proj" => _upProj,
        "down_proj" => _downProj,
        _ => throw new ArgumentException($"no projection '{name}' in mlp", nameof(name)),
    };

    /// <summary>Swaps a projection for a wrapper (e.g. a LoRA layer) under the same name.</summary>
    public void ReplaceProjection(string name, nn.Module<Tensor, Tensor> replacement)
    {
        _ = GetProjection(name);
        register_module(name, null!);
        register_module(name, replacement);
        switch (name)
        {
            case "gate_proj": _gateProj = replacement; break;
            case "up_proj": _upProj = replacement; break;
            default: _downProj = replacement; break;
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(_gateProj.call(input)) * _upProj.call(input);
        return _downProj.call(gated).MoveToOuterDisposeScope();
    }
}
