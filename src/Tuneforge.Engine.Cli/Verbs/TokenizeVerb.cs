using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Text;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary><c>tokenize --tokenizer DIR --text "..."</c> (or <c>--file PATH</c>): prints the token ids.</summary>
public sealed class TokenizeVerb : IVerb
{
    public string Name => "tokenize";
    public string Summary => "print the token ids of a text or file";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("tokenizer", "folder with tokenizer.json (and tokenizer_config.json); a model folder works too"),
        new("text", "the text to tokenize"),
        new("file", "a UTF-8 file whose whole content is tokenized"),
        new("bos", "auto (as tokenizer_config.json's add_bos_token says), yes or no", Default: "auto"),
    ];

    public Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var directory = arguments.RequiredText("tokenizer", "the folder with tokenizer.json");
        var (text, file) = (arguments.Text("text"), arguments.Text("file"));
        if ((text is null) == (file is null)) throw new UsageException("tokenize: give exactly one of --text and --file");
        if (file is not null)
        {
            if (!File.Exists(file)) throw new UsageException($"tokenize: {file}: file not found");
            text = File.ReadAllText(file);
        }

        var tokenizer = HfTokenizer.Load(directory);
        var addBos = (arguments.Text("bos") ?? "auto") switch
        {
            "auto" => tokenizer.AddBosToken,
            "yes" => true,
            "no" => false,
            var other => throw new UsageException($"tokenize: --bos '{other}' is not auto, yes or no"),
        };
        var ids = tokenizer.Encode(text!);
        if (addBos && tokenizer.BosId is int bos) ids = [bos, .. ids];

        var output = arguments.Text("out");
        if (output is not null)
        {
            Directory.CreateDirectory(output);
            var path = Path.Combine(output, "tokens.json");
            File.WriteAllText(path, new JsonArray(ids.Select(i => (JsonNode)i).ToArray()).ToJsonString() + "\n");
            events.Write(new ArtifactEvent(Path.GetFullPath(path), "tokens"));
        }
        events.Write(new ResultEvent(Name, new JsonObject
        {
            ["count"] = ids.Length,
            ["ids"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()),
            ["tokens"] = new JsonArray(ids.Select(i => (JsonNode?)tokenizer.IdToToken(i)).ToArray()),
        }));
        return Task.FromResult(0);
    }
}
