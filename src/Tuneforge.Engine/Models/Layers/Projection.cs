using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models.Layers;

/// <summary>
/// A linear layer, y = x Wᵀ + b, with HF's parameter names (<c>weight</c> [out, in], <c>bias</c> [out]).
/// Created uninitialized: a checkpoint or <see cref="ParameterInitializer"/> fills it.
/// </summary>
public sealed class Projection : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private readonly Parameter _weight;
    [ComponentName(Name = "bias")] private readonly Parameter? _bias;

    public Projection(long inFeatures, long outFeatures, bool hasBias, Device device, ScalarType dtype)
        : base(nameof(Projection))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _weight = new Parameter(empty([outFeatures, inFeatures], dtype, device));
        register_parameter("weight", _weight);
        if (hasBias)
        {
            _bias = new Parameter(empty([outFeatures], dtype, device));
            register_parameter("bias", _bias);
        }
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Parameter Weight => _weight;
    public Parameter? Bias => _bias;

    public override Tensor forward(Tensor input) => nn.functional.linear(input, _weight, _bias);
}
