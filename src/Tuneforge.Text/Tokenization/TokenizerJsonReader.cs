using System.Text;
using System.Text.Json;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Tuneforge.Text;

/// <summary>
/// Reads a Hugging Face tokenizer.json (byte-level BPE) and refuses, by name, every feature it cannot honour.
/// </summary>
internal sealed partial class TokenizerJsonReader
{
    private readonly JsonFile _file;
    private readonly List<SplitRule> _splitRules = [];
    private readonly List<NormalizationForm> _normalization = [];

    private TokenizerJsonReader(string path) => _file = JsonFile.For(path);

    public static TokenizerDefinition Read(string path)
    {
        using JsonDocument document = JsonFile.Parse(path);
        return new TokenizerJsonReader(path).Read(document.RootElement);
    }

    private TokenizerDefinition Read(JsonElement root)
    {
        _file.Object(root, "(root)");
        JsonElement model = _file.Object(_file.Required(root, "model", ""), "model");
        ReadModelOptions(model, out bool ignoreMerges);
        Dictionary<string, int> vocab = ReadVocab(_file.Required(model, "vocab", "model"));
        List<(string, string)> merges = ReadMerges(_file.Required(model, "merges", "model"), vocab);
        List<AddedToken> added = ReadAddedTokens(root);
        CheckIdRange(vocab, added);

        if (JsonFile.Optional(root, "normalizer") is { } normalizer)
        {
            ReadNormalizer(normalizer, "normalizer");
        }

        bool byteLevel = JsonFile.Optional(root, "pre_tokenizer") is { } preTokenizer
            && ReadPreTokenizer(preTokenizer, "pre_tokenizer");
        if (!byteLevel)
        {
            throw _file.Unsupported("pre_tokenizer", "a tokenizer without a final ByteLevel pre-tokenizer (not byte-level BPE)");
        }

        if (JsonFile.Optional(root, "decoder") is not { } decoder)
        {
            throw _file.Unsupported("decoder", "a missing decoder (byte-level BPE needs the ByteLevel decoder)");
        }

        CheckDecoder(decoder, "decoder");
        if (JsonFile.Optional(root, "post_processor") is { } postProcessor)
        {
            CheckPostProcessor(postProcessor, "post_processor");
        }

        return new TokenizerDefinition(vocab, merges, added, _normalization.ToArray(), _splitRules, ignoreMerges);
    }

    // Tables are sized by the largest id: one far beyond the tokens the file defines would allocate for nothing (or fail).
    private void CheckIdRange(Dictionary<string, int> vocab, List<AddedToken> added)
    {
        int largest = Math.Max(vocab.Values.Max(), added.Count == 0 ? 0 : added.Max(t => t.Id));
        int defined = vocab.Values.Concat(added.Select(t => t.Id)).Distinct().Count();
        if ((long)largest >= 2L * defined + 1024)
        {
            string where = added.Count > 0 && added.Max(t => t.Id) == largest ? "added_tokens" : "model.vocab";
            throw _file.Error(where, $"the largest id, {largest}, is far beyond the {defined} tokens the file defines (a tokenizer's ids run from 0 to about its size); the file is corrupt.");
        }
    }

    private void ReadModelOptions(JsonElement model, out bool ignoreMerges)
    {
        string type = _file.OptionalString(model, "type", "model") ?? "BPE";
        if (type != "BPE")
        {
            throw _file.Unsupported("model.type", $"the '{type}' model");
        }

        if (JsonFile.Optional(model, "dropout") is { } dropout
            && (dropout.ValueKind != JsonValueKind.Number || dropout.GetDouble() != 0))
        {
            throw _file.Unsupported("model.dropout", $"BPE dropout ({dropout.GetRawText()})");
        }

        foreach (string affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (_file.OptionalString(model, affix, "model") is { Length: > 0 } value)
            {
                throw _file.Unsupported($"model.{affix}", $"a {affix} ('{value}')");
            }
        }

        if (_file.Bool(model, "byte_fallback", "model", whenAbsent: false))
        {
            throw _file.Unsupported("model.byte_fallback", "byte_fallback (a SentencePiece-style BPE)");
        }

        ignoreMerges = _file.Bool(model, "ignore_merges", "model", whenAbsent: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dictionary<string, int> ReadVocab(JsonElement element)
    {
        _file.Object(element, "model.vocab");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokenById = new Dictionary<int, string>();
        foreach (JsonProperty entry in element.EnumerateObject())
        {
            string token = entry.Name;
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
            {
                id = _file.Id(entry.Value, $"model.vocab[\"{token}\"]");
            }

            if (!tokenById.TryAdd(id, token))
            {
                throw _file.Error("model.vocab", $"id {id} is given to both \"{tokenById[id]}\" and \"{token}\"; each id must name one token.");
            }

            vocab[token] = id;
        }

        if (vocab.Count == 0)
        {
            throw _file.Error("model.vocab", "is empty.");
        }

        return vocab;
    }

    // Runs once over ~130k entries: optimized at once rather than after tiering (the load is otherwise seconds).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<(string, string)> ReadMerges(JsonElement element, Dictionary<string, int> vocab)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw _file.Error("model.merges", $"expected an array, found {JsonFile.Describe(element)}.");
        }

        var merges = new List<(string, string)>(element.GetArrayLength());
        var seen = new HashSet<(string, string)>(merges.Capacity);
        bool repeated = false;
        int index = 0;
        foreach (JsonElement entry in element.EnumerateArray())
        {
            (string left, string right) = ReadMerge(entry, index);
            string merged = string.Concat(left, right);
            if (!vocab.ContainsKey(left) || !vocab.ContainsKey(right) || !vocab.ContainsKey(merged))
            {
                string missing = !vocab.ContainsKey(left) ? left : !vocab.ContainsKey(right) ? right : merged;
                throw _file.Error($"model.merges[{index}]", $"\"{left} {right}\" needs \"{missing}\", which is not in model.vocab.");
            }

            repeated |= !seen.Add((left, right));
            merges.Add((left, right));
            index++;
        }

        return repeated ? KeepLastOfRepeated(merges) : merges;
    }

    // Hugging Face keeps the last rank of a repeated pair; dropping the earlier copies keeps the order of the rest.
    private static List<(string, string)> KeepLastOfRepeated(List<(string, string)> merges)
    {
        var later = new HashSet<(string, string)>();
        var kept = new List<(string, string)>(merges.Count);
        for (int i = merges.Count - 1; i >= 0; i--)
        {
            if (later.Add(merges[i]))
            {
                kept.Add(merges[i]);
            }
        }

        kept.Reverse();
        return kept;
    }

    private (string, string) ReadMerge(JsonElement entry, int index)
    {
        if (entry.ValueKind == JsonValueKind.String)
        {
            string text = entry.GetString()!;
            int space = text.IndexOf(' ');
            if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
            {
                throw _file.Error($"model.merges[{index}]", $"expected \"left right\" (two tokens and one space), found \"{text}\".");
            }

            return (text[..space], text[(space + 1)..]);
        }

        string path = $"model.merges[{index}]";
        if (entry.ValueKind == JsonValueKind.Array && entry.GetArrayLength() == 2 && entry[0].ValueKind == JsonValueKind.String && entry[1].ValueKind == JsonValueKind.String)
        {
            string left = entry[0].GetString()!;
            string right = entry[1].GetString()!;
            if (left.Length == 0 || right.Length == 0 || left.Contains(' ') || right.Contains(' '))
            {
                throw _file.Unsupported(path, $"a merge with an empty part or a space ([\"{left}\", \"{right}\"])");
            }

            return (left, right);
        }

        throw _file.Error(path, $"expected \"left right\" or [\"left\", \"right\"], found {JsonFile.Describe(entry)}.");
    }

    private List<AddedToken> ReadAddedTokens(JsonElement root)
    {
        var added = new List<AddedToken>();
        if (JsonFile.Optional(root, "added_tokens") is not { } element)
        {
            return added;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw _file.Error("added_tokens", $"expected an array, found {JsonFile.Describe(element)}.");
        }

        var contentById = new Dictionary<int, string>();
        int index = 0;
        foreach (JsonElement entry in element.EnumerateArray())
        {
            string path = $"added_tokens[{index++}]";
            _file.Object(entry, path);
            int id = _file.Id(_file.Required(entry, "id", path), path + ".id");
            string content = _file.String(_file.Required(entry, "content", path), path + ".content");
            if (content.Length == 0)
            {
                throw _file.Error(path + ".content", "is empty.");
            }

            foreach (string flag in new[] { "single_word", "lstrip", "rstrip" })
            {
                if (_file.Bool(entry, flag, path, whenAbsent: false))
                {
                    throw _file.Unsupported($"{path}.{flag}", $"{flag}=true on added token \"{content}\"");
                }
            }

            if (contentById.TryGetValue(id, out string? other))
            {
                throw _file.Error(path + ".id", $"id {id} is given to both \"{other}\" and \"{content}\".");
            }

            contentById[id] = content;
            added.Add(new AddedToken(
                id,
                content,
                _file.Bool(entry, "special", path, whenAbsent: false),
                _file.Bool(entry, "normalized", path, whenAbsent: false)));
        }

        return added;
    }

    private string TypeOf(JsonElement element, string path)
    {
        _file.Object(element, path);
        return _file.String(_file.Required(element, "type", path), path + ".type");
    }

    private IEnumerable<JsonElement> Items(JsonElement element, string key, string path)
    {
        JsonElement items = _file.Required(element, key, path);
        if (items.ValueKind != JsonValueKind.Array)
        {
            throw _file.Error($"{path}.{key}", $"expected an array, found {JsonFile.Describe(items)}.");
        }

        return items.EnumerateArray();
    }
}
