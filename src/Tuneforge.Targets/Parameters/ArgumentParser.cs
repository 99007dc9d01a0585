namespace Tuneforge.Targets;

/// <summary>Command-line arguments as NUKE reads them: leading words are targets, <c>--name v1 v2</c> gives values,
/// a bare switch is true, the last occurrence of a name wins, names ignore case and dashes.</summary>
public sealed class ArgumentParser
{
    readonly Dictionary<string, (string Written, List<string> Values)> named = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<string>> everyOccurrence = new(StringComparer.Ordinal);

    public ArgumentParser(IReadOnlyList<string> args)
    {
        var i = 0;
        for (; i < args.Count && !IsName(args[i]); i++) Positional.Add(args[i]);
        while (i < args.Count)
        {
            var written = args[i];
            var values = new List<string>();
            for (i++; i < args.Count && !IsName(args[i]); i++) values.Add(args[i]);
            named[Normalize(written)] = (written, values);
            if (!everyOccurrence.TryGetValue(Normalize(written), out var all)) everyOccurrence[Normalize(written)] = all = [];
            all.AddRange(values);
        }
    }

    public List<string> Positional { get; } = [];

    public IEnumerable<string> WrittenNames => named.Values.Select(v => v.Written);

    public bool Has(string name) => named.ContainsKey(Normalize(name));

    public IReadOnlyList<string>? Values(string name) => named.TryGetValue(Normalize(name), out var v) ? v.Values : null;

    /// <summary>The values of every occurrence, for parameters that accumulate (<c>--set a=1 --set b=2</c>).</summary>
    public IReadOnlyList<string>? AllValues(string name) => everyOccurrence.TryGetValue(Normalize(name), out var v) ? v : null;

    public string? Written(string name) => named.TryGetValue(Normalize(name), out var v) ? v.Written : null;

    public static bool IsName(string arg) => arg.StartsWith('-') && arg.Length > 1 && !double.TryParse(arg, System.Globalization.CultureInfo.InvariantCulture, out _);

    public static string Normalize(string name) => name.TrimStart('-').Replace("-", "").Replace("_", "").ToLowerInvariant();
}
