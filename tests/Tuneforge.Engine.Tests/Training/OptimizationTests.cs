using Parameter = TorchSharp.Modules.Parameter;
using Tuneforge.Engine.Training.Optimization;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

public sealed class OptimizationTests
{
    [Fact]
    public void Linear_schedule_warms_up_from_zero_then_falls_to_zero_at_the_last_step()
    {
        var schedule = new LearningRateSchedule(SchedulerType.Linear, 1e-3, WarmupSteps: 4, TotalSteps: 12);
        Assert.Equal([0, 0.25e-3, 0.5e-3, 0.75e-3, 1e-3, 0.875e-3], Enumerable.Range(0, 6).Select(k => Math.Round(schedule.At(k), 12)));
        Assert.Equal(0.125e-3, schedule.At(11), 12);
        Assert.Equal(0, schedule.At(12), 12);
    }

    [Fact]
    public void Cosine_schedule_follows_half_a_cosine_after_warmup()
    {
        var schedule = new LearningRateSchedule(SchedulerType.Cosine, 2e-4, WarmupSteps: 2, TotalSteps: 10);
        Assert.Equal(1e-4, schedule.At(1), 12);
        Assert.Equal(2e-4, schedule.At(2), 12);
        Assert.Equal(1e-4, schedule.At(6), 12);                                        // progress 1/2: cos(π/2) = 0
        Assert.Equal(2e-4 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), schedule.At(4), 12); // progress 1/4
        Assert.Equal(0, schedule.At(10), 12);
    }

    [Fact]
    public void Constant_schedules_hold_the_peak_with_or_without_warmup()
    {
        Assert.Equal(3e-4, new LearningRateSchedule(SchedulerType.Constant, 3e-4, 5, 10).At(0));
        var warm = new LearningRateSchedule(SchedulerType.ConstantWithWarmup, 3e-4, 5, 10);
        Assert.Equal(0.6 * 3e-4, warm.At(3), 12);
        Assert.Equal(3e-4, warm.At(9), 12);
    }

    [Theory]
    [InlineData(0, 0.1, 100, 10)]
    [InlineData(0, 0.05, 204, 11)]    // ⌈10.2⌉
    [InlineData(7, 0.5, 100, 7)]      // warmup_steps wins
    [InlineData(0, 0, 100, 0)]
    public void Warmup_steps_win_over_the_ratio_which_rounds_up(int steps, double ratio, int total, int expected) =>
        Assert.Equal(expected, LearningRateSchedule.ResolveWarmup(steps, ratio, total));

    [Fact]
    public void AdamW_matches_the_torch_formula_and_skips_decay_for_biases()
    {
        var weight = new Parameter(tensor(new float[] { 1.0f, -2.0f }));
        var bias = new Parameter(tensor(new float[] { 0.5f }));
        var parameters = new[] { new TrainableParameter("w", weight, decay: true), new TrainableParameter("b", bias, decay: false) };
        using var adam = new AdamW(parameters, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1);
        double[] w = [1.0, -2.0], b = [0.5];
        double[] mw = [0, 0], vw = [0, 0], mb = [0], vb = [0];
        var gradients = new[] { (new[] { 0.3, -0.1 }, new[] { 2.0 }), (new[] { -0.2, 0.4 }, new[] { -1.0 }) };
        var lr = 0.01;
        for (var t = 1; t <= 2; t++)
        {
            var (gw, gb) = gradients[t - 1];
            weight.grad = tensor(gw.Select(g => (float)g).ToArray());
            bias.grad = tensor(gb.Select(g => (float)g).ToArray());
            adam.Step(lr);
            Reference(w, mw, vw, gw, t, lr, 0.1);
            Reference(b, mb, vb, gb, t, lr, 0);
        }
        Assert.Equal(2, adam.StepCount);
        var actual = weight.data<float>().ToArray();
        for (var i = 0; i < 2; i++) Assert.Equal(w[i], actual[i], 6);
        Assert.Equal(b[0], bias.data<float>()[0], 6);

        static void Reference(double[] p, double[] m, double[] v, double[] g, int t, double lr, double decay)
        {
            for (var i = 0; i < p.Length; i++)
            {
                p[i] *= 1 - lr * decay;
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                var mHat = m[i] / (1 - Math.Pow(0.9, t));
                var vHat = v[i] / (1 - Math.Pow(0.999, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }
    }

    [Fact]
    public void Clipping_scales_all_gradients_by_max_norm_over_the_global_norm_and_reports_the_norm_before()
    {
        var a = new Parameter(zeros(2)) { grad = tensor(new float[] { 3, 0 }) };
        var b = new Parameter(zeros(1)) { grad = tensor(new float[] { 4 }) };
        var parameters = new[] { new TrainableParameter("a", a, true), new TrainableParameter("b", b, true) };
        var norm = GradientClipping.ClipByGlobalNorm(parameters, maxNorm: 1.0);
        Assert.Equal(5.0, norm, 5);
        Assert.Equal(0.6f, a.grad!.data<float>()[0], 5);
        Assert.Equal(0.8f, b.grad!.data<float>()[0], 5);
        Assert.Equal(1.0, GradientClipping.ClipByGlobalNorm(parameters, maxNorm: 2.0), 5);   // under the limit: untouched
        Assert.Equal(0.6f, a.grad!.data<float>()[0], 5);
    }

    [Fact]
    public void Low_precision_weights_train_through_float32_masters_that_sum_gradients_in_float32()
    {
        var live = new Parameter(tensor(new float[] { 1, 2 }).to_type(ScalarType.BFloat16));
        using var parameter = new TrainableParameter("w", live, decay: false);
        Assert.True(parameter.HasMasterCopy);
        Assert.Equal(ScalarType.Float32, parameter.Value.dtype);
        // bfloat16 has 8 significant bits: 256 + 1 + 1 stays 256 there, and is 258 in float32.
        foreach (var g in new[] { 256f, 1f, 1f })
        {
            live.grad = tensor(new float[] { g, g }).to_type(ScalarType.BFloat16);
            parameter.CollectGrad();
            Assert.Equal(0f, live.grad!.to_type(ScalarType.Float32).data<float>()[1]);
        }
        Assert.Equal(258f, parameter.Grad!.data<float>()[0]);
        using (no_grad()) parameter.Value.add_(1e-3);
        parameter.PushToLive();
        Assert.Equal(1.0f, live.to_type(ScalarType.Float32).data<float>()[0]);   // 1.001 rounds to 1 in bfloat16; the master keeps it
        Assert.Equal(1.001f, parameter.Value.data<float>()[0], 5);
    }

    [Fact]
    public void Float16_loss_scale_halves_on_overflow_and_grows_after_a_run_of_good_steps()
    {
        var scaler = new LossScaler(dynamic: true, initialScale: 1024, growthInterval: 3);
        Assert.False(scaler.Update(gradientsFinite: false));
        Assert.Equal(512, scaler.Scale);
        Assert.True(scaler.Update(true));
        Assert.True(scaler.Update(true));
        Assert.True(scaler.Update(true));
        Assert.Equal(1024, scaler.Scale);
        var fixedScale = new LossScaler(dynamic: false);
        Assert.True(fixedScale.Update(false));
        Assert.Equal(1, fixedScale.Scale);
    }
}
