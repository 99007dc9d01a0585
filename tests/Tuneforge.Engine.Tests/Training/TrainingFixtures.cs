using Tuneforge.Data.Training;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Training;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

/// <summary>Synthetic examples and small training runs on the tiny Qwen2 configuration (vocabulary 96).</summary>
internal static class TrainingFixtures
{
    public const int Eos = 1;

    /// <summary>Examples of 6 to 20 tokens: a masked prompt of 2–8 tokens, then a trained response ending in EOS.</summary>
    public static IReadOnlyList<EncodedExample> Examples(int count, int seed = 0)
    {
        var random = new Random(seed);
        var examples = new List<EncodedExample>();
        for (var i = 0; i < count; i++)
        {
            var prompt = random.Next(2, 9);
            var response = random.Next(3, 13);
            var ids = new int[prompt + response];
            var mask = new bool[ids.Length];
            ids[0] = 0;
            for (var t = 1; t < ids.Length; t++) ids[t] = random.Next(2, 96);
            ids[^1] = Eos;
            for (var t = prompt; t < ids.Length; t++) mask[t] = true;
            examples.Add(new EncodedExample($"ex{i}", ids, mask, ids.Length));
        }
        return examples;
    }

    public static TrainSpec Spec(int batch = 4, int accumulation = 1, int maxSteps = 4, double dropout = 0, IReadOnlyList<string>? targets = null) => new()
    {
        Method = TrainMethod.Lora,
        NumTrainEpochs = 1,
        MaxSteps = maxSteps,
        PerDeviceTrainBatchSize = batch,
        PerDeviceEvalBatchSize = 8,
        GradientAccumulationSteps = accumulation,
        LearningRate = 1e-2,
        WeightDecay = 0.01,
        LrSchedulerType = SchedulerType.Linear,
        MaxGradNorm = 1.0,
        MaxSeqLength = 64,
        LoggingSteps = 1,
        EvalStrategy = EvalStrategy.No,
        EvalSteps = 1000,
        SaveSteps = 1000,
        SaveTotalLimit = null,
        GroupByLength = false,
        Seed = 5,
        Lora = new LoraSpec { R = 4, LoraAlpha = 8, LoraDropout = dropout, TargetModules = [.. targets ?? ["all-linear"]] },
    };

    public static TrainOptions Options(TrainSpec spec) =>
        TrainOptions.Resolve(spec, new ModelSpec { TorchDtype = TorchDtype.Float32 }, CPU);

    public static TrainingOutcome Train(TrainSpec spec, string output, IReadOnlyList<EncodedExample> train, IReadOnlyList<EncodedExample>? val = null,
        Action<EngineEvent>? onEvent = null, CancellationToken cancellation = default, Func<TrainableModel, double>? evaluation = null, long modelSeed = 7,
        string fingerprint = "fingerprint")
    {
        var options = Options(spec);
        using var model = TrainableModel.Create(TinyModels.Random(TinyModels.Qwen2(), modelSeed), options, spec.Seed);
        var plan = TrainingPlan.Create(train, spec);
        var inputs = new TrainerInputs(model, options, plan, train, val ?? [], output, new AdapterOrigin("tiny-test"), fingerprint,
            e => onEvent?.Invoke(e)) { Evaluation = evaluation };
        return new Trainer(inputs).Run(cancellation);
    }

    /// <summary>The float32 tensors of a safetensors file by name.</summary>
    public static Dictionary<string, float[]> ReadTensors(string path)
    {
        using var reader = SafeTensorsReader.Open(path);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var name in reader.Header.Entries.Keys)
        {
            using var tensor = reader.Read(name);
            result[name] = tensor.to_type(ScalarType.Float32).data<float>().ToArray();
        }
        return result;
    }

    public static double MaxDifference(Dictionary<string, float[]> a, Dictionary<string, float[]> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        return a.Keys.Max(k => a[k].Zip(b[k]).Max(p => Math.Abs(p.First - p.Second)));
    }

    public static float[] Logits(CausalLM model, long[][] ids)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = tensor(ids.SelectMany(r => r).ToArray()).view(ids.Length, -1);
        return model.call(new CausalLMInput(input)).Logits!.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }
}
