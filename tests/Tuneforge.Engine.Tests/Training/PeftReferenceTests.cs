using System.Diagnostics;
using System.Text.Json;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Tests.TestSupport;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

/// <summary>
/// Our saved adapters read by an independent implementation of PEFT's documented LoRA math (reference/peft_lora_forward.py,
/// plain torch in float64 on the saved Hugging Face base): names, [r, in] / [out, r] layout and scaling must all be right
/// for the logits to agree. (PEFT itself needs transformers and peft, which this machine does not have.)
/// </summary>
public sealed class PeftReferenceTests
{
    private static readonly long[][] Inputs = [[5, 17, 42, 8, 91, 3, 64, 22, 7, 50], [12, 77, 4, 4, 60, 2, 19, 88, 30, 11]];

    [PythonTorchFact]
    public void All_linear_lora_matches_the_reference() => AssertMatches(["all-linear"], rslora: false, rank: 4, alpha: 8);

    [PythonTorchFact]
    public void Rslora_on_q_and_v_matches_the_reference() => AssertMatches(["q_proj", "v_proj"], rslora: true, rank: 8, alpha: 16);

    private static void AssertMatches(IReadOnlyList<string> targets, bool rslora, int rank, double alpha)
    {
        using var directory = new TempDirectory();
        var settings = new LoraSettings(rank, alpha, 0.05, LoraTargets.Resolve(targets), rslora);
        float[] ours;
        using (var model = TinyModels.Random(TinyModels.Qwen2(), seed: 6))
        {
            PretrainedModel.Save(model, directory.File("base"));
            LoraInjector.Apply(model, settings, null, seed: 1);
            using (no_grad())
            using (var generator = new Generator(2))
                foreach (var (_, layer) in LoraInjector.Find(model)) layer.B.normal_(0, 0.5, generator);
            model.eval();
            ours = TrainingFixtures.Logits(model, Inputs);
            PeftAdapter.Save(model, settings, new AdapterOrigin(directory.File("base")), directory.File("adapter"));
        }
        using (var baseModel = PretrainedModel.Load(directory.File("base"), Runtime.ComputeOptions.Cpu()))
        {
            var plain = TrainingFixtures.Logits(baseModel, Inputs);
            Assert.True(plain.Zip(ours).Max(p => Math.Abs(p.First - p.Second)) > 0.5, "the adapter must move the logits for the check to mean anything");
        }

        var reference = Run(directory);
        Assert.Equal(ours.Length, reference.Length);
        var worst = ours.Zip(reference).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst < 1e-4, $"max |engine - PEFT math| = {worst:E2}");
    }

    private static float[] Run(TempDirectory directory)
    {
        File.WriteAllText(directory.File("request.json"), JsonSerializer.Serialize(new Dictionary<string, object> { ["input_ids"] = Inputs }));
        var script = Path.Combine(AppContext.BaseDirectory, "reference", "peft_lora_forward.py");
        var start = new ProcessStartInfo(PythonReference.Python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, directory.File("base"), directory.File("adapter"), directory.File("request.json"), directory.File("out.bin") })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"peft_lora_forward.py failed ({process.ExitCode}):\n{errors.Result}");
        var bytes = File.ReadAllBytes(directory.File("out.bin"));
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
