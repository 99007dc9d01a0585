using static TorchSharp.torch;

namespace Tuneforge.Engine.Models;

/// <summary>
/// Keys and values of past positions, preallocated to a capacity so a decode step writes one slot per layer
/// instead of re-concatenating the whole past: each new token costs the same however long the context.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;   // per layer (B, kv_heads, capacity, D)
    private readonly Tensor[] _values;

    public KvCache(ModelConfig config, long batchSize, long capacity, Device device, ScalarType dtype)
    {
        Capacity = capacity;
        _keys = new Tensor[config.NumHiddenLayers];
        _values = new Tensor[config.NumHiddenLayers];
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            // Owned by the cache, not by whatever dispose scope is open while it is created.
            _keys[layer] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            _values[layer] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    /// <summary>Positions already stored (the same for every layer between forwards).</summary>
    public long Length { get; private set; }

    public long Capacity { get; }

    /// <summary>Stores (B, kv_heads, T, D) keys and values at the current length; returns all positions so far.</summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor keys, Tensor values)
    {
        var newLength = Length + keys.shape[2];
        if (newLength > Capacity)
            throw new InvalidOperationException($"KV cache holds {Capacity} positions; {newLength} were requested");
        using (no_grad())
        {
            _keys[layer].narrow(2, Length, keys.shape[2]).copy_(keys);
            _values[layer].narrow(2, Length, values.shape[2]).copy_(values);
        }
        return (_keys[layer].narrow(2, 0, newLength), _values[layer].narrow(2, 0, newLength));
    }

    /// <summary>Commits the positions written by one forward pass through every layer.</summary>
    public void Advance(long positions) => Length += positions;

    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values)) tensor.Dispose();
    }
}
