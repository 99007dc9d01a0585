namespace Tuneforge.Engine.Training.Optimization;

/// <summary>
/// Dynamic loss scaling for float16 (torch.amp.GradScaler's defaults): gradients are computed for loss · scale so
/// small ones do not underflow, then unscaled; a step whose gradients overflow is skipped and the scale halved;
/// after 2,000 good steps it doubles. Other precisions use a fixed scale of 1.
/// </summary>
public sealed class LossScaler(bool dynamic, double initialScale = 65536, int growthInterval = 2000)
{
    public bool IsDynamic { get; } = dynamic;
    public double Scale { get; private set; } = dynamic ? initialScale : 1;
    public int GoodSteps { get; private set; }

    /// <summary>Records a step's outcome; returns false when the step must be skipped (overflow under dynamic scaling).</summary>
    public bool Update(bool gradientsFinite)
    {
        if (!IsDynamic) return true;
        if (!gradientsFinite)
        {
            Scale /= 2;
            GoodSteps = 0;
            return false;
        }
        if (++GoodSteps >= growthInterval)
        {
            Scale *= 2;
            GoodSteps = 0;
        }
        return true;
    }

    public void Restore(double scale, int goodSteps)
    {
        Scale = scale;
        GoodSteps = goodSteps;
    }
}
