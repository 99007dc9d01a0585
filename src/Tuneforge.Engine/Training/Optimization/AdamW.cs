using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Optimization;

/// <summary>
/// AdamW as <c>torch.optim.AdamW</c> computes it: decoupled decay p ← p·(1 − lr·λ) (skipped for biases and norms),
/// then m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε).
/// Its state (m, v per weight, and t) is saved with checkpoints.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly IReadOnlyList<TrainableParameter> _parameters;
    private readonly Dictionary<string, (Tensor ExpAvg, Tensor ExpAvgSq)> _state = new(StringComparer.Ordinal);
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;

    public AdamW(IReadOnlyList<TrainableParameter> parameters, double beta1, double beta2, double epsilon, double weightDecay)
    {
        _parameters = parameters;
        (_beta1, _beta2, _epsilon, _weightDecay) = (beta1, beta2, epsilon, weightDecay);
        foreach (var p in parameters) _state[p.Name] = (zeros_like(p.Value), zeros_like(p.Value));
    }

    /// <summary>Updates done so far (t).</summary>
    public long StepCount { get; private set; }

    public void Step(double learningRate)
    {
        StepCount++;
        var correction1 = 1 - Math.Pow(_beta1, StepCount);
        var correction2Root = Math.Sqrt(1 - Math.Pow(_beta2, StepCount));
        using var _ = no_grad();
        foreach (var parameter in _parameters)
        {
            if (parameter.Grad is not { } grad) continue;
            using var scope = NewDisposeScope();
            var (expAvg, expAvgSq) = _state[parameter.Name];
            var value = parameter.Value;
            if (parameter.Decay && _weightDecay != 0) value.mul_(1 - learningRate * _weightDecay);
            expAvg.mul_(_beta1).add_(grad, 1 - _beta1);
            expAvgSq.mul_(_beta2).addcmul_(grad, grad, 1 - _beta2);
            var denominator = expAvgSq.sqrt().div_(correction2Root).add_(_epsilon);
            value.addcdiv_(expAvg, denominator, -learningRate / correction1);
        }
    }

    /// <summary>m and v of every weight under <c>NAME.exp_avg</c> / <c>NAME.exp_avg_sq</c> (views of the live state).</summary>
    public IReadOnlyDictionary<string, Tensor> StateTensors()
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, (m, v)) in _state)
        {
            tensors[name + ".exp_avg"] = m;
            tensors[name + ".exp_avg_sq"] = v;
        }
        return tensors;
    }

    /// <summary>Restores t and copies saved m, v into the state (names and shapes must match).</summary>
    public void Restore(long stepCount, Func<string, Tensor> read)
    {
        using var _ = no_grad();
        foreach (var (name, (m, v)) in _state)
        {
            using var savedM = read(name + ".exp_avg");
            using var savedV = read(name + ".exp_avg_sq");
            m.copy_(savedM);
            v.copy_(savedV);
        }
        StepCount = stepCount;
    }

    public void Dispose()
    {
        foreach (var (m, v) in _state.Values)
        {
            m.Dispose();
            v.Dispose();
        }
    }
}
