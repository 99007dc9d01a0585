using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Presets;
using Tuneforge.Files;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Merging;

/// <summary>
/// Writes a model as a Hugging Face folder that transformers and vLLM load: config.json, generation_config.json,
/// model.safetensors (or shards and model.safetensors.index.json past <c>maxShardBytes</c>), and the tokenizer files.
/// Built in a temporary folder and renamed, so no half folder is left.
/// </summary>
public static class MergedModelWriter
{
    public static readonly IReadOnlyList<string> TokenizerFiles =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "tokenizer.model"];

    /// <param name="baseDirectory">The base model's folder (its generation_config.json is kept); null for a preset.</param>
    /// <param name="preset">The preset whose generation defaults to write when there is no base folder.</param>
    /// <returns>The files written, relative to <paramref name="directory"/>, sorted.</returns>
    public static IReadOnlyList<string> Write(CausalLM model, string directory, string tokenizerDirectory, string? baseDirectory, ModelPreset? preset,
        ScalarType dtype, long maxShardBytes = CheckpointWriter.DefaultMaxShardBytes)
    {
        using var source = new ModuleWeights(model);
        return Write(source, null, directory, tokenizerDirectory, baseDirectory, preset, dtype, maxShardBytes);
    }

    /// <summary>
    /// Merges <paramref name="adapter"/> (if any) into the weights of <paramref name="source"/> and writes the folder one
    /// tensor at a time: read, merge in float32, convert to <paramref name="dtype"/>, write. A base checkpoint is never
    /// loaded whole, so the peak is the largest tensor a few times over, not the model.
    /// </summary>
    public static IReadOnlyList<string> Write(IWeightSource source, LoraAdapterFiles? adapter, string directory, string tokenizerDirectory,
        string? baseDirectory, ModelPreset? preset, ScalarType dtype, long maxShardBytes = CheckpointWriter.DefaultMaxShardBytes)
    {
        if (adapter is not null) AdapterMerger.Check(source.Tensors.ToDictionary(t => t.Name, t => t.Shape, StringComparer.Ordinal), adapter);
        var pairs = adapter?.Pairs.ToDictionary(p => p.WeightName, StringComparer.Ordinal) ?? [];
        var saved = adapter?.Saved.ToDictionary(s => s.WeightName, s => s.Weight, StringComparer.Ordinal) ?? [];
        var target = Path.GetFullPath(directory);
        AtomicDirectory.Write(target, staging =>
        {
            var layout = source.Tensors.Select(t => t with { DType = dtype }).ToList();
            CheckpointWriter.SaveStreamed(staging, layout, write =>
            {
                using var _ = no_grad();
                foreach (var tensor in source.Tensors)
                {
                    using var scope = NewDisposeScope();
                    var weight = saved.TryGetValue(tensor.Name, out var replaced) ? replaced : source.Read(tensor.Name);
                    write(tensor.Name, pairs.TryGetValue(tensor.Name, out var pair) ? AdapterMerger.Merged(weight, pair, adapter!.Scaling, dtype) : weight.to_type(dtype));
                }
            }, maxShardBytes);
            PretrainedModel.WriteConfig(source.Config, staging, dtype);
            var generation = baseDirectory is null ? null : Path.Combine(baseDirectory, "generation_config.json");
            if (generation is not null && File.Exists(generation)) File.Copy(generation, Path.Combine(staging, "generation_config.json"));
            else WriteGenerationConfig(source.Config, preset, Path.Combine(staging, "generation_config.json"));
            foreach (var file in TokenizerFiles.Where(f => File.Exists(Path.Combine(tokenizerDirectory, f))))
                File.Copy(Path.Combine(tokenizerDirectory, file), Path.Combine(staging, file));
        });
        return System.IO.Directory.EnumerateFiles(target).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
    }

    private static void WriteGenerationConfig(ModelConfig config, ModelPreset? preset, string path)
    {
        var json = new JsonObject();
        if (config.BosTokenId is int bos) json["bos_token_id"] = bos;
        if (config.EosTokenIds.Count == 1) json["eos_token_id"] = config.EosTokenIds[0];
        else if (config.EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray(config.EosTokenIds.Select(i => (JsonNode)i).ToArray());
        if (preset is not null)
        {
            json["do_sample"] = preset.Generation.DoSample;
            json["temperature"] = preset.Generation.Temperature;
            json["top_p"] = preset.Generation.TopP;
        }
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
