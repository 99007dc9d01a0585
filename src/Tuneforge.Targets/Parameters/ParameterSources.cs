using System.Text.Json;

namespace Tuneforge.Targets;

/// <summary>Where parameter values come from, in NUKE's order: the command line, then environment variables
/// (case-insensitive, underscores ignored, optional NUKE_ or TUNEFORGE_ prefix), then profile files, then .nuke/parameters.json.</summary>
public sealed class ParameterSources(
    ArgumentParser arguments,
    IReadOnlyDictionary<string, string> environment,
    IReadOnlyList<(string File, IReadOnlyDictionary<string, IReadOnlyList<string>> Values)> files)
{
    public ArgumentParser Arguments { get; } = arguments;

    public (IReadOnlyList<string> Values, string Source)? Find(string memberName, string dashedName, bool isArray, char separator, bool accumulates = false)
    {
        if ((accumulates ? Arguments.AllValues(dashedName) : Arguments.Values(dashedName)) is { } cli) return (Split(cli, separator), $"--{dashedName}");
        if (FromEnvironment(memberName) is var (variable, value))
            return (isArray ? Split([value], separator == default ? ' ' : separator) : [value], $"environment variable {variable}");
        foreach (var (file, values) in files)
        {
            var match = values.FirstOrDefault(kv => ArgumentParser.Normalize(kv.Key) == ArgumentParser.Normalize(memberName));
            if (match.Key is not null) return (match.Value, $"{file} ({match.Key})");
        }
        return null;
    }

    static readonly string[] Prefixes = ["", "NUKE", "TUNEFORGE"];

    (string Variable, string Value)? FromEnvironment(string memberName)
    {
        static string Trim(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        var wanted = Trim(memberName);
        // An empty variable counts as unset: CI systems pass optional inputs that were left blank as "".
        var matches = environment.Where(kv => kv.Value.Length > 0 && Prefixes.Any(p => Trim(kv.Key) == p + wanted)).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => (matches[0].Key, matches[0].Value),
            _ => throw new BuildException($"Parameter '{memberName}' is set by several environment variables ({string.Join(", ", matches.Select(m => m.Key))}); keep one."),
        };
    }

    static IReadOnlyList<string> Split(IReadOnlyList<string> values, char separator) =>
        separator == default ? values : values.SelectMany(v => v.Split(separator, StringSplitOptions.RemoveEmptyEntries)).ToList();

    /// <summary>Reads .nuke/parameters.json and, for each --profile NAME, .nuke/parameters.NAME.json (profiles win).</summary>
    public static List<(string, IReadOnlyDictionary<string, IReadOnlyList<string>>)> ReadFiles(string nukeDirectory, IEnumerable<string> profiles)
    {
        var result = new List<(string, IReadOnlyDictionary<string, IReadOnlyList<string>>)>();
        foreach (var profile in profiles.Reverse())
        {
            var path = Path.Combine(nukeDirectory, $"parameters.{profile}.json");
            if (!File.Exists(path))
                throw new BuildException($"Profile '{profile}' has no file {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}; create it or drop --profile {profile}.");
            result.Add((path, ReadFile(path)));
        }
        var defaults = Path.Combine(nukeDirectory, "parameters.json");
        if (File.Exists(defaults)) result.Add((defaults, ReadFile(defaults)));
        return result;
    }

    static Dictionary<string, IReadOnlyList<string>> ReadFile(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BuildException($"{path}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}: not valid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new BuildException($"{path}: expected a JSON object of parameter names and values.");
            var values = new Dictionary<string, IReadOnlyList<string>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.StartsWith('$')) continue;
                values[property.Name] = property.Value.ValueKind == JsonValueKind.Array
                    ? property.Value.EnumerateArray().Select(Text).ToList()
                    : [Text(property.Value)];
            }
            return values;
        }
    }

    static string Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
}
