using System.Text.Json;

namespace Tuneforge.Text.Tests;

/// <summary>The parity corpus: one JSON string per line (so samples can hold newlines, tabs and CR).</summary>
internal static class ParityCorpus
{
    private static readonly Lazy<IReadOnlyList<string>> Lines = new(() =>
        File.ReadAllText(RepositoryPaths.ParityCorpus)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select((line, index) => JsonSerializer.Deserialize<string>(line)
                ?? throw new InvalidDataException($"parity-corpus.jsonl:{index + 1}: null"))
            .ToArray());

    public static IReadOnlyList<string> Samples => Lines.Value;
}
