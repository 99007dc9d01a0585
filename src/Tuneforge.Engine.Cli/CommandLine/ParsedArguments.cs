using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Engine.Cli.CommandLine;

/// <summary>A verb's options from the command line and, beneath them, from the <c>options</c> of <c>--job job.json</c>
/// (an <see cref="EngineJob"/> like every job).</summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly string _verb;

    private ParsedArguments(string verb) => _verb = verb;

    public static ParsedArguments Parse(string verb, IReadOnlyList<string> arguments, IReadOnlyList<OptionSpec> specs, bool mergeJob = true)
    {
        var parsed = new ParsedArguments(verb);
        var known = specs.Concat(CommonOptions.All).ToDictionary(s => s.Name, StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
                throw new UsageException($"{verb}: unexpected argument '{argument}'", $"Options look like --name value; see `tuneforge-engine {verb} --help`.");
            var name = argument[2..];
            string? inline = null;
            if (name.IndexOf('=') is var eq and > 0) (name, inline) = (name[..eq], name[(eq + 1)..]);
            if (!known.TryGetValue(name, out var spec)) throw Unknown(verb, name, known.Keys);
            var value = spec.IsFlag ? inline ?? "true"
                : inline ?? (i + 1 < arguments.Count ? arguments[++i] : throw new UsageException($"{verb}: --{name} needs a value ({spec.Description})"));
            parsed.Add(spec, value, fromJob: false);
        }
        if (mergeJob && parsed.Text("job") is { } job) parsed.MergeJob(job, known);
        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Text(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    public string RequiredText(string name, string why) =>
        Text(name) ?? throw new UsageException($"{_verb}: --{name} is required ({why})", $"See `tuneforge-engine {_verb} --help`.");

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var values) ? values : [];

    public bool Flag(string name) => Text(name) is { } value && ParseBool(name, value);

    public int? Int(string name) => Text(name) is { } value
        ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : throw Malformed(name, value, "an integer")
        : null;

    public long? Long(string name) => Text(name) is { } value
        ? long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : throw Malformed(name, value, "an integer")
        : null;

    public double? Double(string name) => Text(name) is { } value
        ? double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var result) ? result : throw Malformed(name, value, "a number")
        : null;

    private void Add(OptionSpec spec, string value, bool fromJob)
    {
        if (!_values.TryGetValue(spec.Name, out var list)) _values[spec.Name] = list = [];
        if (!spec.Repeatable && !fromJob) list.Clear();
        list.Add(value);
    }

    // Job values fill only what the command line did not set.
    private void MergeJob(string path, Dictionary<string, OptionSpec> known)
    {
        EngineJob job;
        try
        {
            job = EngineJob.Read(path, _verb);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new UsageException(e.Message, $"A job file is an engine job: {{\"version\": {EngineJob.CurrentVersion}, \"verb\": \"{_verb}\", \"options\": {{\"name\": value, ...}}}}.");
        }
        foreach (var (key, node) in job.Options ?? [])
        {
            var name = key.Replace('_', '-');
            if (name == "job" || Has(name)) continue;
            if (!known.TryGetValue(name, out var spec)) throw Unknown(_verb, name, known.Keys, $"{path}: options.");
            var values = node is JsonArray array ? array.ToList() : [node];
            foreach (var item in values)
            {
                var text = item is null ? throw new UsageException($"{path}: options.{key} is null")
                    : item.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : item.ToJsonString();
                Add(spec, text, fromJob: true);
            }
        }
    }

    private bool ParseBool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw Malformed(name, value, "true or false"),
    };

    private UsageException Malformed(string name, string value, string expected) =>
        new($"{_verb}: --{name} '{value}' is not {expected}");

    private static UsageException Unknown(string verb, string name, IEnumerable<string> known, string where = "")
    {
        var closest = known.OrderBy(k => Distance(k, name)).First();
        var hint = Distance(closest, name) <= 3 ? $"Did you mean --{closest}?" : $"See `tuneforge-engine {verb} --help`.";
        return new UsageException($"{where}{verb}: unknown option --{name}", hint);
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}
