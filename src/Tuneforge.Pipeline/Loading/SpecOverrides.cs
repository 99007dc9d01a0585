using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tuneforge.Pipeline.Loading;

/// <summary>Applies <c>--set a.b.c=value</c> overrides to the YAML tree before binding, so they are checked
/// by the same rules as the file and their errors point at the override.</summary>
internal static class SpecOverrides
{
    public static void Apply(YamlMappingNode root, IEnumerable<string> overrides,
        IDictionary<YamlNode, string> origins, List<SpecError> errors)
    {
        foreach (var text in overrides)
        {
            var location = new SpecLocation($"--set {text}", 0, 0);
            var equals = text.IndexOf('=');
            if (equals <= 0)
            {
                errors.Add(new SpecError(location, "", "an override is written key.path=value, e.g. train.learning_rate=1e-4."));
                continue;
            }
            var path = text[..equals].Trim();
            var segments = path.Split('.');
            if (segments.Any(s => s.Length == 0))
            {
                errors.Add(new SpecError(location, path, "the key path has an empty part."));
                continue;
            }
            var value = ParseValue(text[(equals + 1)..]);
            foreach (var node in value.AllNodes) origins[node] = text;
            var parent = root;
            for (var i = 0; i < segments.Length - 1; i++)
            {
                var key = new YamlScalarNode(segments[i]);
                if (!parent.Children.TryGetValue(key, out var child))
                {
                    child = new YamlMappingNode();
                    origins[key] = text;
                    origins[child] = text;
                    parent.Children[key] = child;
                }
                if (child is not YamlMappingNode mapping)
                {
                    errors.Add(new SpecError(location, string.Join('.', segments[..(i + 1)]), "is a value, not a section: it has no keys below it."));
                    parent = null;
                    break;
                }
                parent = mapping;
            }
            if (parent is null) continue;
            var leafKey = new YamlScalarNode(segments[^1]);
            origins[leafKey] = text;
            // Replace in place (keeps key order stable) or add at the end.
            parent.Children[leafKey] = value;
        }
    }

    // A value is YAML (lists, numbers, null) when it reads as YAML; otherwise the text itself, as in --set gates.rougeL=">= 0.3".
    static YamlNode ParseValue(string text)
    {
        if (text.Trim().Length == 0) return new YamlScalarNode("");
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            return new YamlScalarNode(text) { Style = ScalarStyle.DoubleQuoted };
        }
    }
}
