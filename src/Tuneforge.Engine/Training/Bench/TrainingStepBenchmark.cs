using Tuneforge.Data.Training;
using System.Diagnostics;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Quantization;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Engine.Training.Optimization;
using Tuneforge.Engine.Training.Preference;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Bench;

/// <summary>What one benchmark configuration measured: step times after warm-up, the peak resident memory while loading
/// and while training (counted from the resident size after loading), and the resident size the loaded model left.</summary>
public sealed record StepMeasurement(string DType, bool Qlora, int TokensPerStep, IReadOnlyList<double> StepSeconds, long? PeakRssBytes,
    long? LoadPeakRssBytes, long? LoadedRssBytes, long TrainableParameters)
{
    public double MedianSeconds => StepSeconds.Order().ElementAt(StepSeconds.Count / 2);
    public double TokensPerSecond => TokensPerStep / MedianSeconds;
}

/// <summary>
/// One LoRA (or QLoRA) training step of the engine on random tokens, timed: the trainer's own pieces (micro-batch
/// forward/backward with the chunked head, clipping, AdamW), loss on every position, no dropout. A benchmark, not a test.
/// </summary>
public static class TrainingStepBenchmark
{
    /// <summary>Writes the benchmark's model (seeded weights, bfloat16) as a Hugging Face folder, for every measurement to load.</summary>
    public static void WriteModel(ModelConfig config, string directory, long seed = 0)
    {
        using var model = new CausalLM(config, CPU, ScalarType.Float32);
        ParameterInitializer.Initialize(model, seed);
        PretrainedModel.Save(model, directory, ScalarType.BFloat16);
    }

    /// <summary>Loads the model folder as training would (QLoRA quantizes the projections as they are read) and times steps.</summary>
    public static StepMeasurement Measure(string modelDirectory, ScalarType dtype, int batch, int sequence, int rank, int warmup, int steps,
        bool qlora = false, bool gradientCheckpointing = false, long seed = 0, PreferenceMethod objective = PreferenceMethod.None)
    {
        var compute = new Runtime.ComputeOptions(CPU, dtype);
        var model = qlora ? Nf4ModelLoader.Load(modelDirectory, compute, 64, dtype) : PretrainedModel.Load(modelDirectory, compute);
        ProcessMemory.ReturnFreedMemory();
        var (loadPeak, loaded) = (ProcessMemory.PeakRssBytes(), ProcessMemory.RssBytes());
        ProcessMemory.ResetPeak();
        var config = model.Config;
        var spec = new TrainSpec { Lora = new LoraSpec { R = rank, LoraAlpha = 2 * rank, LoraDropout = 0, TargetModules = ["all-linear"] } };
        var options = new TrainOptions { Spec = spec, ComputeDType = dtype, Lora = LoraSettings.From(spec.Lora) };
        using var trainable = TrainableModel.Create(model, options, seed);
        using var optimizer = new AdamW(trainable.Parameters, 0.9, 0.999, 1e-8, 0);
        var step = new MicroBatchStep(trainable, gradientCheckpointing);

        var random = new Random((int)seed);
        var examples = Enumerable.Range(0, batch).Select(i =>
        {
            var ids = Enumerable.Range(0, sequence).Select(_ => random.Next(config.VocabSize)).ToArray();
            return new EncodedExample($"random{i}", ids, Enumerable.Repeat(true, sequence).ToArray(), sequence);
        }).ToList();
        using var microBatch = BatchCollator.Collate(examples.Select((_, i) => new[] { i }).ToList(), examples, CPU);

        var forwardBackward = objective == PreferenceMethod.None
            ? () => step.ForwardBackward(microBatch, 1.0 / microBatch.LossTokens)
            : PreferenceStep(trainable.Model, objective, examples);
        var times = new List<double>();
        for (var i = 0; i < warmup + steps; i++)
        {
            var clock = Stopwatch.StartNew();
            forwardBackward();
            trainable.CollectGrads();
            GradientClipping.ClipByGlobalNorm(trainable.Parameters, 1.0);
            optimizer.Step(1e-4);
            trainable.PushToLive();
            trainable.ZeroGrad();
            if (i >= warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        return new StepMeasurement(Runtime.ComputeOptions.HfName(dtype), qlora, batch * sequence, times, ProcessMemory.PeakRssBytes(), loadPeak, loaded, trainable.TrainableCount);
    }

    /// <summary>A preference step on the same tokens as the SFT step: DPO pairs up the rows (prompt: the first half, the
    /// chosen and rejected answers: the second halves of two rows), KTO labels every other row desirable and scores the
    /// mismatched rows for its KL estimate too; both run the reference (adapter off) without gradients.</summary>
    private static Func<double> PreferenceStep(CausalLM model, PreferenceMethod objective, IReadOnlyList<EncodedExample> rows)
    {
        var objectiveOf = new PreferenceObjective(model, new PreferenceSpec { Method = objective }, CPU);
        var half = rows[0].Length / 2;
        EncodedExample Answered(EncodedExample row) => row with { LossMask = [.. row.LossMask.Select((_, t) => t >= half)] };
        var pairs = Enumerable.Range(0, rows.Count / 2)
            .Select(i => new PreferencePair(Answered(rows[2 * i]), Answered(rows[2 * i + 1]) with { InputIds = [.. rows[2 * i].InputIds[..half], .. rows[2 * i + 1].InputIds[half..]] }))
            .ToList();
        var labelled = rows.Select((row, i) => new LabelledExample(Answered(row), i % 2 == 0)).ToList();
        return () =>
        {
            using var scope = NewDisposeScope();
            var result = objective == PreferenceMethod.Kto ? objectiveOf.Labelled(labelled) : objectiveOf.Pairs(pairs);
            result.Loss.backward();
            return result.Loss.item<float>();
        };
    }

    /// <summary>The best rate of an n×n×n matrix product in GFLOP/s (2n³ per product) over <paramref name="repeats"/> timed products.</summary>
    public static double MatmulGflops(ScalarType dtype, int n = 2048, int repeats = 8)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var a = randn([n, n], generator: generator).to_type(dtype);
        var b = randn([n, n], generator: generator).to_type(dtype);
        a.matmul(b).Dispose();
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /// <summary>
    /// Matrix-product FLOPs one LoRA step needs per token: the frozen linears and the head forward and backward to their
    /// input (2 × 2·in·out), the adapters forward and both backward products (3 × 2·r·(in+out)), and causal attention
    /// (QKᵀ and AV over half the keys on average, forward and twice in backward).
    /// </summary>
    public static double LoraStepFlopsPerToken(ModelConfig c, int rank, int sequence)
    {
        var (h, q, kv, f) = ((double)c.HiddenSize, (double)c.NumAttentionHeads * c.HeadDim, (double)c.NumKeyValueHeads * c.HeadDim, (double)c.IntermediateSize);
        var linear = 2 * (h * q + 2 * h * kv + q * h + 3 * h * f);
        var lora = 2 * rank * ((h + q) + 2 * (h + kv) + (q + h) + 3 * (h + f));
        var attention = 2 * 2 * (sequence / 2.0) * q;
        var head = 2 * h * c.VocabSize;
        return c.NumHiddenLayers * (2 * linear + 3 * lora + 3 * attention) + 2 * head;
    }

    /// <summary>PaLM's model FLOPs per token for training: 6 × the matrix-multiplied parameters (the head included), plus attention.</summary>
    public static double ModelFlopsPerToken(ModelConfig c, int sequence)
    {
        var (h, q, kv, f) = ((double)c.HiddenSize, (double)c.NumAttentionHeads * c.HeadDim, (double)c.NumKeyValueHeads * c.HeadDim, (double)c.IntermediateSize);
        var parameters = c.NumHiddenLayers * (h * q + 2 * h * kv + q * h + 3 * h * f) + h * c.VocabSize;
        return 6 * parameters + c.NumHiddenLayers * 6 * 2 * (sequence / 2.0) * q;
    }
}
