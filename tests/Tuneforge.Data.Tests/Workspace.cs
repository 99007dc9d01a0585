using System.Text;
using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests;

/// <summary>A temporary repository root with data files, and Clean/Split run on it with their outputs read back.</summary>
internal sealed class Workspace : IDisposable
{
    public Workspace() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "tuneforge-data-tests", Guid.NewGuid().ToString("N"));

    public string Output => Path.Combine(Root, "out");

    public string Write(string relativePath, string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return WriteBytes(relativePath, bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
    }

    public string WriteBytes(string relativePath, byte[] bytes)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes JSON lines from anonymous objects.</summary>
    public string WriteJsonl(string relativePath, IEnumerable<object> records) =>
        Write(relativePath, string.Concat(records.Select(r => JsonSerializer.Serialize(r, JsonOptions) + "\n")));

    public CleanResult Clean(DataSpec data, CleanSpec? clean = null, string? tokenizer = null) =>
        DataStages.Clean(new CleanRequest(data, clean ?? new CleanSpec(), Root, Output, tokenizer));

    /// <summary>The check the build runs after Clean (clean.min_records), on this workspace's outputs shown as "out".</summary>
    public void CheckKept(DataSpec data, CleanSpec? clean = null) =>
        DataStages.CheckKept(new CleanRequest(data, clean ?? new CleanSpec(), Root, Output), "out");

    public static DataSpec Sources(params string[] sources) => new() { Sources = [.. sources] };

    public List<CanonicalRecord> Kept() => [.. RecordJson.ReadFile(Path.Combine(Output, "clean.jsonl"))];

    public List<JsonElement> Rejects() => Lines(Path.Combine(Output, "rejects.jsonl"));

    public string ReadOutput(string name) => File.ReadAllText(Path.Combine(Output, name));

    public static List<JsonElement> Lines(string path) =>
        [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
