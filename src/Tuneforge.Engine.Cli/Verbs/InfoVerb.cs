using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Protocol;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary><c>info --model SRC</c>: the model's config, parameter count and weight files, without loading weights.</summary>
public sealed class InfoVerb : IVerb
{
    public string Name => "info";
    public string Summary => "print a model's config and parameter count (weights are not loaded)";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", "a model folder, hf://org/name[@revision] or preset:NAME"),
    ];

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var location = await ModelLocation.ResolveAsync(arguments.RequiredText("model", "the model to describe"), m => events.Log(m), cancellation);
        var config = ModelLoader.Config(location);
        using var model = new CausalLM(config, META, ScalarType.Float32);   // shapes only: nothing is allocated
        var parameters = model.ParameterCount();
        var embeddings = (long)config.VocabSize * config.HiddenSize;

        var data = new JsonObject
        {
            ["source"] = location.Source,
            ["architecture"] = config.Traits.HfName,
            ["parameters"] = parameters,
            ["parameters_besides_embeddings"] = parameters - embeddings * (config.TieWordEmbeddings ? 1 : 2),
            ["config"] = config.ToJson(),
        };
        if (location.Directory is not null)
        {
            var checkpoint = CheckpointFolder.Open(location.Directory);
            data["weights"] = new JsonArray(checkpoint.Shards.Select(s => (JsonNode)new JsonObject
            {
                ["file"] = s.Key,
                ["tensors"] = s.Value.Entries.Count,
                ["bytes"] = s.Value.DataLength,
                ["dtypes"] = new JsonArray(s.Value.Entries.Values.Select(e => e.DTypeName).Distinct().Order().Select(d => (JsonNode)d).ToArray()),
            }).ToArray());
        }
        var output = arguments.Text("out");
        if (output is not null)
        {
            Directory.CreateDirectory(output);
            var path = Path.Combine(output, "info.json");
            File.WriteAllText(path, data.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            events.Write(new ArtifactEvent(Path.GetFullPath(path), "info"));
        }
        events.Write(new ResultEvent(Name, data));
        return 0;
    }
}
