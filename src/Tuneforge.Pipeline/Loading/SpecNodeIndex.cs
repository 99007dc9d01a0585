using YamlDotNet.RepresentationModel;

namespace Tuneforge.Pipeline.Loading;

/// <summary>Finds the YAML node of a path such as <c>train.lora.target_modules[2]</c>, or its nearest ancestor.</summary>
internal sealed class SpecNodeIndex
{
    readonly Dictionary<string, YamlNode> nodes = new(StringComparer.Ordinal);

    public static SpecNodeIndex Build(YamlNode root)
    {
        var index = new SpecNodeIndex();
        index.Add(root, "");
        return index;
    }

    void Add(YamlNode node, string path)
    {
        nodes[path] = node;
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                    Add(value, SpecBinder.Join(path, (key as YamlScalarNode)?.Value ?? ""));
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++) Add(sequence.Children[i], $"{path}[{i}]");
                break;
        }
    }

    public YamlNode? Find(string path)
    {
        while (true)
        {
            if (nodes.TryGetValue(path, out var node)) return node;
            if (path.Length == 0) return null;
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut < 0 ? "" : path[..cut];
        }
    }
}
