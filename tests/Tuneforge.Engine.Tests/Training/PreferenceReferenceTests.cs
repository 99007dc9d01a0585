using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Data.Training;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Training.Preference;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

/// <summary>
/// DPO (sigmoid, ipo, hinge), ORPO, SimPO and KTO: the engine's loss and its gradient on every LoRA weight against
/// reference/preference_loss.py, TRL's formulas in plain float64 torch on an independent forward pass that scores each
/// sequence alone. The engine runs the tiny model in float64 (LoRA weights float32, as they train), so loss and
/// gradients agree within 1e-6. The rewards are β times differences of log-probabilities summed over whole answers,
/// and the engine's rotary tables are float32 (as Hugging Face's are): they agree within 1e-5.
/// </summary>
public sealed class PreferenceReferenceTests
{
    const double Tolerance = 1e-6;
    const double RewardTolerance = 1e-5;

    [PythonTorchFact]
    public void Dpo_sigmoid_with_label_smoothing_matches_the_reference() =>
        AssertPairs(new PreferenceSpec { Method = PreferenceMethod.Dpo, Beta = 0.5, LabelSmoothing = 0.1 });

    [PythonTorchFact]
    public void Dpo_ipo_matches_the_reference() => AssertPairs(new PreferenceSpec { Method = PreferenceMethod.Dpo, Beta = 0.3, LossType = DpoLossType.Ipo });

    [PythonTorchFact]
    public void Dpo_hinge_matches_the_reference() => AssertPairs(new PreferenceSpec { Method = PreferenceMethod.Dpo, Beta = 0.05, LossType = DpoLossType.Hinge });

    [PythonTorchFact]
    public void Orpo_matches_the_reference() => AssertPairs(new PreferenceSpec { Method = PreferenceMethod.Orpo, Beta = 0.2 });

    [PythonTorchFact]
    public void Simpo_matches_the_reference() => AssertPairs(new PreferenceSpec { Method = PreferenceMethod.Simpo, Beta = 2.0, SimpoGamma = 0.7 });

    [PythonTorchFact]
    public void Kto_with_unequal_weights_matches_the_reference() =>
        AssertMatches(new PreferenceSpec { Method = PreferenceMethod.Kto, Beta = 0.4, DesirableWeight = 1.3, UndesirableWeight = 0.8 }, pairs: false);

    static void AssertPairs(PreferenceSpec spec) => AssertMatches(spec, pairs: true);

    static void AssertMatches(PreferenceSpec spec, bool pairs)
    {
        using var directory = new TempDirectory();
        using (var random = TinyModels.Random(TinyModels.Qwen2(), seed: 11)) PretrainedModel.Save(random, directory.File("base"));
        using var model = PretrainedModel.Load(directory.File("base"), Runtime.ComputeOptions.Cpu(ScalarType.Float64));
        var settings = new LoraSettings(4, 8, 0, LoraTargets.Resolve(["all-linear"]), false);
        var adapters = LoraInjector.Apply(model, settings, null, seed: 3);
        using (no_grad())
        using (var generator = new Generator(4))
            foreach (var (_, layer) in adapters) layer.B.normal_(0, 0.05, generator);
        PeftAdapter.Save(model, settings, new AdapterOrigin(directory.File("base")), directory.File("adapter"));
        model.train();

        var (request, examples) = Examples(pairs);
        var objective = new PreferenceObjective(model, spec, CPU);
        var result = pairs
            ? objective.Pairs([.. examples.Select(e => new PreferencePair(Encode(e.Prompt, e.Chosen), Encode(e.Prompt, e.Rejected!)))])
            : objective.Labelled([.. examples.Select(e => new LabelledExample(Encode(e.Prompt, e.Chosen), e.Label))]);
        result.Loss.backward();

        var expected = Run(directory, spec, request);
        var loss = result.Loss.item<double>();
        Assert.True(Math.Abs(loss - expected["loss"]!.GetValue<double>()) < Tolerance, $"loss {loss} vs reference {expected["loss"]}");
        AssertClose(result.ChosenRewards, expected["chosen_rewards"]!.AsArray(), "chosen rewards");
        AssertClose(result.RejectedRewards, expected["rejected_rewards"]!.AsArray(), "rejected rewards");
        var grads = expected["grads"]!.AsObject();
        Assert.Equal(adapters.Count * 2, grads.Count);
        var largest = 0.0;
        foreach (var (name, layer) in adapters)
            foreach (var (kind, weight) in new[] { ("A", layer.A), ("B", layer.B) })
            {
                var ours = weight.grad!.to_type(ScalarType.Float64).data<double>().ToArray();
                var theirs = grads[$"base_model.model.{name}.lora_{kind}.weight"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
                Assert.Equal(theirs.Length, ours.Length);
                var worst = ours.Zip(theirs).Max(p => Math.Abs(p.First - p.Second));
                Assert.True(worst < Tolerance, $"{name}.lora_{kind}: max |engine − reference| gradient = {worst:E2}");
                largest = Math.Max(largest, theirs.Max(Math.Abs));
            }
        Assert.True(largest > 1e-3, $"the gradients must be large enough for the check to mean anything (largest {largest:E2})");
    }

    static void AssertClose(Tensor ours, JsonArray theirs, string what)
    {
        var values = ours.to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(theirs.Count, values.Length);
        for (var i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(values[i] - theirs[i]!.GetValue<double>()) < RewardTolerance, $"{what}[{i}]: {values[i]} vs {theirs[i]}");
    }

    sealed record Example(int[] Prompt, int[] Chosen, int[]? Rejected, bool Label);

    // Four prompts of different lengths; answers of different lengths, so summing and averaging differ.
    static (JsonObject Request, List<Example> Examples) Examples(bool pairs)
    {
        var random = new Random(17);
        int[] Tokens(int count) => [.. Enumerable.Range(0, count).Select(_ => random.Next(2, 96))];
        var examples = new List<Example>();
        for (var i = 0; i < 4; i++)
            examples.Add(new Example([0, .. Tokens(2 + i)], [.. Tokens(3 + 2 * i), TrainingFixtures.Eos], pairs ? [.. Tokens(6 - i), TrainingFixtures.Eos] : null, i % 3 != 1));
        var request = new JsonObject
        {
            ["examples"] = new JsonArray([.. examples.Select(e => (JsonNode)(pairs
                ? new JsonObject { ["prompt"] = Ids(e.Prompt), ["chosen"] = Ids(e.Chosen), ["rejected"] = Ids(e.Rejected!) }
                : new JsonObject { ["prompt"] = Ids(e.Prompt), ["completion"] = Ids(e.Chosen), ["label"] = e.Label }))]),
        };
        return (request, examples);
    }

    static JsonArray Ids(int[] ids) => new([.. ids.Select(id => (JsonNode)id)]);

    static EncodedExample Encode(int[] prompt, int[] answer)
    {
        int[] ids = [.. prompt, .. answer];
        bool[] mask = [.. new bool[prompt.Length], .. Enumerable.Repeat(true, answer.Length)];
        return new EncodedExample("e", ids, mask, ids.Length);
    }

    static JsonObject Run(TempDirectory directory, PreferenceSpec spec, JsonObject request)
    {
        request["method"] = spec.Method.ToString().ToLowerInvariant();
        request["beta"] = spec.Beta;
        request["loss_type"] = spec.LossType.ToString().ToLowerInvariant();
        request["label_smoothing"] = spec.LabelSmoothing;
        request["simpo_gamma"] = spec.SimpoGamma;
        request["desirable_weight"] = spec.DesirableWeight;
        request["undesirable_weight"] = spec.UndesirableWeight;
        File.WriteAllText(directory.File("request.json"), request.ToJsonString());
        var script = Path.Combine(AppContext.BaseDirectory, "reference", "preference_loss.py");
        var start = new ProcessStartInfo(PythonReference.Python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, directory.File("base"), directory.File("adapter"), directory.File("request.json"), directory.File("out.json") })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"preference_loss.py failed ({process.ExitCode}):\n{errors.Result}");
        return JsonNode.Parse(File.ReadAllText(directory.File("out.json")))!.AsObject();
    }
}
