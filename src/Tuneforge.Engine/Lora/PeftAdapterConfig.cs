using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;

namespace Tuneforge.Engine.Lora;

/// <summary>adapter_config.json as PEFT writes it for a LoRA on a causal LM (keys sorted), and reading it back.</summary>
public static class PeftAdapterConfig
{
    public const string FileName = TrainOutputs.AdapterConfigFile;

    public static JsonObject ToJson(LoraSettings settings, AdapterOrigin origin)
    {
        var alpha = settings.Alpha == Math.Floor(settings.Alpha) && Math.Abs(settings.Alpha) < int.MaxValue
            ? JsonValue.Create((int)settings.Alpha)
            : JsonValue.Create(settings.Alpha);
        var json = new JsonObject
        {
            ["alpha_pattern"] = new JsonObject(),
            ["auto_mapping"] = null,
            ["base_model_name_or_path"] = origin.BaseModelNameOrPath,
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["layer_replication"] = null,
            ["layers_pattern"] = null,
            ["layers_to_transform"] = null,
            ["loftq_config"] = new JsonObject(),
            ["lora_alpha"] = alpha,
            ["lora_bias"] = false,
            ["lora_dropout"] = settings.Dropout,
            ["megatron_config"] = null,
            ["megatron_core"] = "megatron.core",
            ["modules_to_save"] = settings.ModulesToSave.Count == 0 ? null : new JsonArray(settings.ModulesToSave.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
            ["peft_type"] = "LORA",
            ["r"] = settings.Rank,
            ["rank_pattern"] = new JsonObject(),
            ["revision"] = origin.Revision,
            ["target_modules"] = new JsonArray(settings.TargetModules.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            ["task_type"] = "CAUSAL_LM",
            ["use_dora"] = false,
            ["use_rslora"] = settings.UseRslora,
        };
        return json;
    }

    public static string ToText(LoraSettings settings, AdapterOrigin origin) =>
        ToJson(settings, origin).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>Reads the settings of a PEFT LoRA adapter; anything this engine would compute differently is an error.</summary>
    public static (LoraSettings Settings, AdapterOrigin Origin) Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new CheckpointException($"{path}: not found; an adapter folder holds {FileName} and {PeftAdapter.WeightsFileName}");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CheckpointException($"{path}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}: invalid JSON: {e.Message}");
        }

        CheckpointException Bad(string key, string problem) => new($"{path}: {key}: {problem}");
        string? Text(string key) => root[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        bool Flag(string key) => root[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        bool Empty(string key) => root[key] is null || (root[key] is JsonObject o && o.Count == 0) || (root[key] is JsonArray a && a.Count == 0);

        if (Text("peft_type") is var type && type != "LORA") throw Bad("peft_type", $"'{type}' is not LORA");
        if (Flag("use_dora")) throw Bad("use_dora", "DoRA adapters are not supported");
        if (Flag("fan_in_fan_out")) throw Bad("fan_in_fan_out", "true is for GPT-2-style Conv1D layers, which these models do not have");
        if ((Text("bias") ?? "none") != "none") throw Bad("bias", $"'{Text("bias")}' is not supported; only none");
        foreach (var key in new[] { "rank_pattern", "alpha_pattern", "layers_to_transform" })
            if (!Empty(key)) throw Bad(key, "per-module patterns and layer subsets are not supported");

        var rank = root["r"] is JsonValue r && r.TryGetValue<int>(out var rv) && rv > 0 ? rv : throw Bad("r", "missing or not a positive integer");
        var alpha = root["lora_alpha"] is JsonValue a && a.TryGetValue<double>(out var av) ? av : throw Bad("lora_alpha", "missing or not a number");
        var dropout = root["lora_dropout"] is JsonValue d && d.TryGetValue<double>(out var dv) ? dv : 0;
        List<string> Names(JsonArray array, string key) => array.Select(t => t?.GetValue<string>() ?? throw Bad(key, "null entry")).ToList();
        // The resolvers check names as the pipeline's train.lora does; here a wrong name is this file's error.
        IReadOnlyList<string> Resolved(string key, Func<IReadOnlyList<string>> resolve)
        {
            try
            {
                return resolve();
            }
            catch (ArgumentException e)
            {
                throw Bad(key, e.Message);
            }
        }

        var targets = root["target_modules"] switch
        {
            JsonArray array => Names(array, "target_modules"),
            JsonValue value when value.TryGetValue<string>(out var single) => single == LoraTargets.AllLinear
                ? [LoraTargets.AllLinear]
                : throw Bad("target_modules", $"'{single}' is a regular expression; only lists of module names are supported"),
            _ => throw Bad("target_modules", "missing"),
        };
        var saved = root["modules_to_save"] switch
        {
            null => [],
            JsonArray array => Names(array, "modules_to_save"),
            _ => throw Bad("modules_to_save", "expected a list of module names"),
        };
        var resolved = Resolved("target_modules", () => LoraTargets.Resolve(targets));
        var resolvedSaved = Resolved("modules_to_save", () => SavedModules.Resolve(saved));
        var origin = new AdapterOrigin(Text("base_model_name_or_path") ?? "", Text("revision"));
        return (new LoraSettings(rank, alpha, dropout, resolved, Flag("use_rslora"), resolvedSaved), origin);
    }
}
