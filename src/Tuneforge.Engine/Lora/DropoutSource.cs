using static TorchSharp.torch;

namespace Tuneforge.Engine.Lora;

/// <summary>
/// The random stream of LoRA dropout, apart from libtorch's global one: seeded from the training seed, saved in
/// checkpoints so a resumed run draws the same masks, and rewound when gradient checkpointing recomputes a layer.
/// </summary>
public sealed class DropoutSource : IDisposable
{
    private readonly Generator _generator;

    public DropoutSource(long seed, Device? device = null) => _generator = new Generator((ulong)seed, device ?? CPU);

    /// <summary>x · mask / (1 − p) with mask ~ Bernoulli(1 − p), as <c>nn.Dropout</c> in training.</summary>
    public Tensor Apply(Tensor x, double p)
    {
        using var scope = NewDisposeScope();
        var keep = empty_like(x).bernoulli_(1 - p, _generator);
        return (x * keep).mul_(1 / (1 - p)).MoveToOuterDisposeScope();
    }

    public byte[] GetState()
    {
        using var state = _generator.get_state();
        return state.data<byte>().ToArray();
    }

    public void SetState(byte[] state)
    {
        using var tensor = TorchSharp.torch.tensor(state, dtype: ScalarType.Byte);
        _generator.set_state(tensor);
    }

    public void Dispose() => _generator.Dispose();
}
