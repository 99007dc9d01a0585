using System.Security.Cryptography;
using System.Text;
using Tuneforge.Data.Cleaning;
using Tuneforge.Data.Pretraining.Formats;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Pretraining;

/// <summary>What one source gave: files read, documents kept, and those left out (too short, exact duplicates).</summary>
public sealed record SourceCount(string Name, string Language, int Files, int Documents, long Characters, int TooShort, int Duplicates);

/// <summary>
/// Reads the pretrain section's sources into cleaned documents: each file split by its format, every document
/// normalized (NFC, whitespace, control characters) as Clean does, documents under min_chars left out, exact duplicates
/// (across all sources) kept once, the first in source order. Same files, same documents, same order.
/// </summary>
public static class CorpusReader
{
    public static (IReadOnlyList<CorpusDocument> Documents, IReadOnlyList<SourceCount> Counts) Read(PretrainSpec spec, string root)
    {
        if (spec.Sources.Count == 0) throw new DataException("pretrain.sources is empty: list at least one text source (path and format).");
        var documents = new List<CorpusDocument>();
        var counts = new List<SourceCount>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < spec.Sources.Count; s++)
        {
            var source = spec.Sources[s];
            var name = string.IsNullOrWhiteSpace(source.Name) ? source.Path : source.Name;
            var (baseDirectory, files) = CorpusFiles.Resolve(source, s, root);
            var (kept, characters, tooShort, duplicates) = (0, 0L, 0, 0);
            foreach (var file in files)
            {
                var relative = Path.GetRelativePath(baseDirectory, file).Replace('\\', '/');
                var index = 0;
                foreach (var raw in Split(source.Format, CorpusFiles.ReadText(file), file))
                {
                    index++;
                    var text = TextNormalizer.Normalize(raw);
                    if (text.Length < spec.MinChars)
                    {
                        tooShort++;
                        continue;
                    }
                    if (!seen.Add(Hash(text)))
                    {
                        duplicates++;
                        continue;
                    }
                    documents.Add(new CorpusDocument($"{name}/{relative}#{index}", name, source.Language, text));
                    kept++;
                    characters += text.Length;
                }
            }
            counts.Add(new SourceCount(name, source.Language, files.Count, kept, characters, tooShort, duplicates));
        }
        return (documents, counts);
    }

    static IEnumerable<string> Split(CorpusFormat format, string content, string path) => format switch
    {
        CorpusFormat.Text => WrappedTextFormat.Documents(content),
        CorpusFormat.Fortune => FortuneFormat.Documents(content),
        CorpusFormat.Man => ManPageFormat.Documents(content),
        CorpusFormat.Html => HtmlFormat.Documents(content),
        CorpusFormat.Jsonl => JsonlTextFormat.Documents(content, path),
        _ => throw new DataException($"{path}: corpus format '{format}' is not supported"),
    };

    static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
