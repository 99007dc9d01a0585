using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Merging;

/// <summary>Writes a PEFT LoRA adapter folder (FACTS.md's format) with seeded, non-zero A and B for every target module.</summary>
internal static class PeftAdapterFixture
{
    public static Dictionary<string, (Tensor A, Tensor B)> Write(string directory, CausalLM model, int rank, double alpha, bool useRslora,
        IReadOnlyList<string> targets, long seed)
    {
        Directory.CreateDirectory(directory);
        using var generator = new Generator((ulong)seed);
        var pairs = new Dictionary<string, (Tensor A, Tensor B)>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!name.EndsWith(".weight", StringComparison.Ordinal) || !targets.Any(t => name.EndsWith($".{t}.weight", StringComparison.Ordinal))) continue;
            var module = name[..^".weight".Length];
            var a = (randn([rank, parameter.shape[1]], generator: generator) / Math.Sqrt(parameter.shape[1])).DetachFromDisposeScope();
            var b = (randn([parameter.shape[0], rank], generator: generator) * 0.3).DetachFromDisposeScope();
            pairs[module] = (a, b);
            tensors[$"base_model.model.{module}.lora_A.weight"] = a;
            tensors[$"base_model.model.{module}.lora_B.weight"] = b;
        }
        SafeTensorsWriter.Write(Path.Combine(directory, "adapter_model.safetensors"), tensors);
        var config = new JsonObject
        {
            ["base_model_name_or_path"] = "preset:tiny-r1",
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["lora_alpha"] = alpha,
            ["lora_dropout"] = 0.05,
            ["modules_to_save"] = null,
            ["peft_type"] = "LORA",
            ["r"] = rank,
            ["revision"] = null,
            ["target_modules"] = new JsonArray(targets.Select(t => (JsonNode)t).ToArray()),
            ["task_type"] = "CAUSAL_LM",
            ["use_dora"] = false,
            ["use_rslora"] = useRslora,
        };
        File.WriteAllText(Path.Combine(directory, "adapter_config.json"), config.ToJsonString());
        return pairs;
    }
}

/// <summary>y = base(x) + scaling · (x·Aᵀ)·Bᵀ: LoRA's forward, written here independently of the trainer's layer.</summary>
internal sealed class ReferenceLoraLayer(nn.Module<Tensor, Tensor> inner, Tensor a, Tensor b, double scaling) : nn.Module<Tensor, Tensor>("ReferenceLora")
{
    public override Tensor forward(Tensor input) =>
        inner.call(input) + nn.functional.linear(nn.functional.linear(input, a), b) * scaling;
}
