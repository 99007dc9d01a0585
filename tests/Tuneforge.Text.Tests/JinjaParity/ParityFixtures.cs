using System.Text.Json.Nodes;

namespace Tuneforge.Text.Tests.JinjaParity;

/// <summary>One rendering of the committed fixtures: template, variables, Jinja2's result and @huggingface/jinja's.</summary>
public sealed record ParityCase(string File, string Id, string Template, JsonObject Variables, string? Output, string? Error, bool Raised, bool RenderersAgree)
{
    public override string ToString() => $"{File}:{Id}";
}

/// <summary>Reads tests/Tuneforge.Text.Tests/JinjaParity/fixtures (written by generate.mjs).</summary>
internal static class ParityFixtures
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "Tuneforge.Text.Tests", "JinjaParity", "fixtures");

    public static IReadOnlyList<string> Files { get; } =
        ["deepseek_v3.json", "qwen3.json", "llama3.json", "llama3_1.json", "gemma3.json", "probes.json"];

    public static IReadOnlyList<ParityCase> Load(string file)
    {
        JsonObject root = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file)))!.AsObject();
        string? shared = root["template"]?.GetValue<string>();
        return root["cases"]!.AsArray().Select(node =>
        {
            JsonObject c = node!.AsObject();
            JsonObject expected = c["expected"]!.AsObject();
            return new ParityCase(
                file,
                c["id"]!.GetValue<string>(),
                c["template"]?.GetValue<string>() ?? shared!,
                c["variables"]!.AsObject(),
                expected["output"]?.GetValue<string>(),
                expected["error"]?.GetValue<string>(),
                expected["raised"]?.GetValue<bool>() ?? false,
                c["renderers_agree"]!.GetValue<bool>());
        }).ToList();
    }

    public static string TemplateOf(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file)))!["template"]!.GetValue<string>();
}
