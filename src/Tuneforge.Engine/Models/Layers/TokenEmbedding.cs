using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models.Layers;

/// <summary>Token embedding table (<c>weight</c> [vocab, hidden]); tied models reuse this parameter as the LM head.</summary>
public sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private readonly Parameter _weight;

    public TokenEmbedding(long vocabSize, long hiddenSize, Device device, ScalarType dtype) : base(nameof(TokenEmbedding))
    {
        _weight = new Parameter(empty([vocabSize, hiddenSize], dtype, device));
        register_parameter("weight", _weight);
    }

    public Parameter Weight => _weight;

    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var shape = inputIds.shape.Append(_weight.shape[1]).ToArray();
        var rows = _weight.index_select(0, inputIds.reshape(-1)); // (B*T, H)
        return rows.view(shape).MoveToOuterDisposeScope();         // (B, T, H)
    }
}
