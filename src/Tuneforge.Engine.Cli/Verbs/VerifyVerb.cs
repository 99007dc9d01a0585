using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Packaging.Archive;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>verify ARCHIVE.zip</c>: checks a release archive against its manifest.json and names every file that differs.
/// Exit code 0 when it matches, 1 when not. Needs no libtorch.
/// </summary>
public sealed class VerifyVerb : IVerb
{
    public string Name => "verify";
    public string Summary => "check a release archive against its manifest.json (SHA-256 of every file); no libtorch needed";
    public bool UsesTorch => false;
    public string? PositionalOption => "archive";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("archive", "the release archive (dist/NAME-VERSION.zip); may also be given without --archive"),
    ];

    public Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var archive = arguments.RequiredText("archive", "the archive to check");
        if (!File.Exists(archive)) throw new UsageException($"verify: {archive}: file not found");
        var result = ArchiveVerifier.Verify(archive);
        foreach (var problem in result.Problems)
            events.Log($"{problem.Kind.ToString().ToLowerInvariant()}: {problem.Path}: {problem.Detail}", "warning");
        events.Write(new ResultEvent(Name, new JsonObject
        {
            ["archive"] = Path.GetFullPath(archive),
            ["ok"] = result.Ok,
            ["files_checked"] = result.FilesChecked,
            ["problems"] = new JsonArray(result.Problems.Select(p => (JsonNode)new JsonObject
            {
                ["path"] = p.Path,
                ["kind"] = p.Kind.ToString().ToLowerInvariant(),
                ["detail"] = p.Detail,
            }).ToArray()),
        }));
        if (!result.Ok) events.Write(new ErrorEvent($"{archive}: {result.Problems.Count} file(s) differ from the manifest: {string.Join(", ", result.Problems.Select(p => p.Path))}",
            "The archive was changed or damaged after it was built; download or build it again.", "verify"));
        return Task.FromResult(result.Ok ? 0 : 1);
    }
}
