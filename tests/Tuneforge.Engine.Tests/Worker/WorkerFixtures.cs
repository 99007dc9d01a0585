using System.Text.Json;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Tests.Training;
using Tuneforge.Engine.Training;
using Tuneforge.Engine.Training.Worker;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Worker;

/// <summary>
/// The same train job for both engines: support records rendered with the DeepSeek-R1 template and tokenizer, a
/// small model with the R1 vocabulary saved as a Hugging Face folder (so both engines load the same base weights).
/// </summary>
internal static class WorkerFixtures
{
    private static readonly (string Question, string Answer)[] Pairs =
    [
        ("可以开发票吗？", "可以，订单完成后30天内在订单详情里申请电子发票。"),
        ("退货运费谁出？", "质量问题由我们承担运费，七天无理由退货由买家承担。"),
        ("How long does a refund take?", "Refunds reach the original payment method within 3 to 5 working days."),
        ("Can I change my address?", "Yes, before the parcel ships: open the order and edit the address."),
        ("发货要多久？", "付款后48小时内发货，节假日顺延。"),
        ("Do you ship abroad?", "We ship to 30 countries; import duties are paid by the buyer."),
        ("优惠券可以叠加吗？", "同一订单只能使用一张店铺优惠券，可与平台红包同时使用。"),
        ("Is there a warranty?", "Every device has a one-year warranty; keep the invoice as proof of purchase."),
        ("怎么联系人工客服？", "工作日9点到21点，在聊天窗口输入“人工”即可转接。"),
        ("Can I cancel an order?", "Unpaid orders can be cancelled at any time; paid ones until they ship."),
        ("支持货到付款吗？", "目前只支持在线支付，暂不支持货到付款。"),
        ("What sizes do you stock?", "Sizes XS to XXL; the size chart on each product page lists the measurements."),
    ];

    public static void WriteSplits(string directory)
    {
        File.WriteAllLines(Path.Combine(directory, "train.jsonl"), Pairs.Select((p, i) => Record($"t{i}", p.Question, p.Answer)));
        File.WriteAllLines(Path.Combine(directory, "val.jsonl"), Pairs.Take(5).Select((p, i) => Record($"v{i}", p.Question, p.Answer + " 谢谢。")));
    }

    private static string Record(string id, string question, string answer) => JsonSerializer.Serialize(new
    {
        id,
        messages = new[] { new { role = "user", content = question }, new { role = "assistant", content = answer } },
    });

    /// <summary>Hidden 64, 2 layers, 4 query / 2 KV heads, the R1 vocabulary; seeded weights with realistic spread.</summary>
    public static string SmallR1(string directory)
    {
        var folder = Path.Combine(directory, "small-r1");
        var config = ModelPresets.TinyR1.Config with { HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 16 };
        using (var model = TinyModels.Random(config, seed: 21))
            PretrainedModel.Save(model, folder, ScalarType.Float32);
        foreach (var file in Directory.GetFiles(TokenizerLocator.Find("deepseek-r1"))) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    public static TrainSpec Spec(int batch, int processes) => new()
    {
        Engine = TrainEngine.Torch,
        MaxSteps = 4,
        PerDeviceTrainBatchSize = batch,
        LearningRate = 2e-3,
        WeightDecay = 0.01,
        LrSchedulerType = SchedulerType.Linear,
        WarmupSteps = 1,
        MaxGradNorm = 1.0,
        LoggingSteps = 1,
        EvalSteps = 2,
        SaveSteps = 2,
        SaveTotalLimit = 1,
        GroupByLength = false,
        Seed = 42,
        Lora = new LoraSpec { R = 8, LoraAlpha = 16, LoraDropout = 0, TargetModules = ["all-linear"] },
        Distributed = new DistributedSpec { NprocPerNode = processes },
    };

    public static EngineJob Job(string directory, string model, TrainSpec train) => new()
    {
        Verb = "train",
        Model = new ModelSpec { Source = model, ChatTemplate = "auto", TorchDtype = TorchDtype.Float32 },
        Train = train,
        Inputs = { ["train"] = Path.Combine(directory, "train.jsonl"), ["val"] = Path.Combine(directory, "val.jsonl") },
    };

    /// <summary>prepare-train, then the worker on <paramref name="processes"/> gloo ranks.</summary>
    public static async Task<WorkerRun> TrainWithWorker(EngineJob job, string output, int processes, Action<System.Diagnostics.Process, string>? whileRunning = null)
    {
        await WorkerPreparation.RunAsync(job, output, _ => { });
        return WorkerProcess.Run(output, processes, whileRunning);
    }

    public static Task<TrainResult> TrainNatively(EngineJob job, string output, List<EngineEvent> events) =>
        TrainingRun.RunAsync(job with { Train = job.Train! with { Engine = TrainEngine.Native, Distributed = new DistributedSpec() } }, output, events.Add);

    public static Dictionary<string, float[]> Adapter(string output, string folder = "adapter") =>
        TrainingFixtures.ReadTensors(Path.Combine(output, folder, PeftAdapterFileName));

    public const string PeftAdapterFileName = TrainOutputs.AdapterWeightsFile;

    public static Dictionary<string, float[]> InitialAdapter(string output) =>
        TrainingFixtures.ReadTensors(Path.Combine(new TrainOutputs(output).WorkerDirectory, WorkerFolder.InitialAdapter, PeftAdapterFileName));

    /// <summary>
    /// The share of weights that differ by more than <paramref name="threshold"/>. Two correct runs that round
    /// differently agree on nearly every weight; Adam divides each gradient by its own RMS, so the few weights whose
    /// gradient sits at the float32 noise floor (about epsilon, 1e-8) move by a rounding-dependent part of the learning
    /// rate, while a wrong batch, denominator, clipping, decay or schedule moves nearly all of them.
    /// </summary>
    public static double Disagreement(Dictionary<string, float[]> a, Dictionary<string, float[]> b, Dictionary<string, float[]> start, double threshold = 1e-5)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        var moved = a.Keys.Sum(k => a[k].Zip(start[k]).Count(p => p.First != p.Second));
        Assert.True(moved > a.Values.Sum(v => v.Length) / 2, "the runs must have moved most of the adapter for the comparison to mean anything");
        var differing = a.Keys.Sum(k => a[k].Zip(b[k]).Count(p => Math.Abs(p.First - p.Second) > threshold));
        return (double)differing / a.Values.Sum(v => v.Length);
    }
}
