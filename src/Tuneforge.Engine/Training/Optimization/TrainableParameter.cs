using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Optimization;

/// <summary>
/// A weight the optimizer updates. <see cref="Value"/> and <see cref="Grad"/> are float32: the live parameter itself
/// when it is float32 (LoRA weights always are), else a float32 master copy whose gradient is summed from the live
/// low-precision one after every backward and which is copied back after every update.
/// </summary>
/// <param name="Name">Its name in checkpoints (PEFT's adapter key, or the Hugging Face state-dict name).</param>
/// <param name="Decay">False for biases and norm weights, which AdamW does not decay.</param>
public sealed class TrainableParameter : IDisposable
{
    private readonly Tensor? _masterGrad;

    public TrainableParameter(string name, Parameter live, bool decay)
    {
        Name = name;
        Live = live;
        Decay = decay;
        if (live.dtype == ScalarType.Float32)
        {
            Value = live;
        }
        else
        {
            using var _ = no_grad();
            Value = live.detach().to_type(ScalarType.Float32);
            _masterGrad = zeros_like(Value);
        }
    }

    public string Name { get; }
    public Parameter Live { get; }
    public Tensor Value { get; }
    public bool Decay { get; }
    public bool HasMasterCopy => _masterGrad is not null;

    /// <summary>The float32 gradient summed so far (null when nothing reached this weight yet).</summary>
    public Tensor? Grad => _masterGrad ?? Live.grad;

    /// <summary>Moves a low-precision live gradient into the float32 sum, so accumulation happens in float32.</summary>
    public void CollectGrad()
    {
        if (_masterGrad is null || Live.grad is not { } grad) return;
        using var _ = no_grad();
        _masterGrad.add_(grad);
        grad.zero_();
    }

    public void ZeroGrad()
    {
        using var _ = no_grad();
        Live.grad?.zero_();
        _masterGrad?.zero_();
    }

    /// <summary>Copies the updated float32 value into the live parameter.</summary>
    public void PushToLive()
    {
        if (_masterGrad is null) return;
        using var _ = no_grad();
        Live.copy_(Value);
    }

    /// <summary>Copies the live parameter into the float32 value after something loaded new weights into it.</summary>
    public void PullFromLive()
    {
        if (_masterGrad is null) return;
        using var _ = no_grad();
        Value.copy_(Live);
    }

    public void Dispose()
    {
        if (_masterGrad is null) return;
        Value.Dispose();
        _masterGrad.Dispose();
    }
}
