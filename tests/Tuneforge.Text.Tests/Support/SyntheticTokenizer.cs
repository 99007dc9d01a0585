using System.Text;
using System.Text.Json.Nodes;

namespace Tuneforge.Text.Tests;

/// <summary>
/// Writes a small byte-level BPE tokenizer.json (all 256 byte tokens, then the given merges) to test one feature at a time.
/// </summary>
internal sealed class SyntheticTokenizer
{
    private static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>Merges written as plain text (converted to the byte-level alphabet).</summary>
    public List<(string Left, string Right)> Merges { get; } = [];

    /// <summary>Vocabulary entries (plain text) that no merge produces.</summary>
    public List<string> ExtraVocabulary { get; } = [];

    public List<(string Content, bool Special)> AddedTokens { get; } = [];

    public JsonNode? PreTokenizer { get; set; } = JsonNode.Parse("""{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}""");

    public JsonNode? Normalizer { get; set; }

    public bool IgnoreMerges { get; set; }

    /// <summary>tokenizer_config.json's content, or null to write none.</summary>
    public JsonObject? Config { get; set; }

    public static string ToByteLevel(string text) =>
        new(Encoding.UTF8.GetBytes(text).Select(b => ByteToChar[b]).ToArray());

    public JsonObject ToJson()
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++)
        {
            vocab[ByteToChar[b].ToString()] = b;
        }

        var merges = new JsonArray();
        foreach ((string left, string right) in Merges)
        {
            string l = ToByteLevel(left), r = ToByteLevel(right);
            merges.Add($"{l} {r}");
            if (!vocab.ContainsKey(l + r))
            {
                vocab[l + r] = vocab.Count;
            }
        }

        foreach (string extra in ExtraVocabulary)
        {
            if (!vocab.ContainsKey(ToByteLevel(extra)))
            {
                vocab[ToByteLevel(extra)] = vocab.Count;
            }
        }

        var added = new JsonArray();
        int nextId = vocab.Count;
        foreach ((string content, bool special) in AddedTokens)
        {
            added.Add(new JsonObject
            {
                ["id"] = nextId++,
                ["content"] = content,
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = special,
            });
        }

        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = Normalizer?.DeepClone(),
            ["pre_tokenizer"] = PreTokenizer?.DeepClone(),
            ["post_processor"] = JsonNode.Parse("""{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}"""),
            ["decoder"] = JsonNode.Parse("""{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}"""),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = IgnoreMerges,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
    }

    /// <summary>Writes tokenizer.json (and tokenizer_config.json if set) into the folder and returns the folder.</summary>
    public string WriteTo(TempFolder folder)
    {
        folder.Write("tokenizer.json", ToJson().ToJsonString());
        if (Config is not null)
        {
            folder.Write("tokenizer_config.json", Config.ToJsonString());
        }

        return folder.Path;
    }

    public static JsonNode Split(string regex, string behavior, bool invert = false) => new JsonObject
    {
        ["type"] = "Split",
        ["pattern"] = new JsonObject { ["Regex"] = regex },
        ["behavior"] = behavior,
        ["invert"] = invert,
    };

    public static JsonNode Sequence(params JsonNode[] steps) => new JsonObject
    {
        ["type"] = "Sequence",
        ["pretokenizers"] = new JsonArray(steps.Select(s => (JsonNode?)s.DeepClone()).ToArray()),
    };

    public static JsonNode ByteLevel(bool useRegex = false) =>
        JsonNode.Parse($$"""{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": {{(useRegex ? "true" : "false")}}}""")!;

    // GPT-2's table, written out independently of the product's.
    private static char[] BuildByteToChar()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1)
            .Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1))
            .Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1))
            .ToHashSet();
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            table[b] = printable.Contains(b) ? (char)b : (char)next++;
        }

        return table;
    }
}
