using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Tuneforge.Text;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (tokenizer.json + tokenizer_config.json) on Microsoft.ML.Tokenizers,
/// producing the same ids as Hugging Face's own tokenizers.
/// </summary>
public sealed class HfTokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly ByteLevelDecoder _decoder;
    private readonly Dictionary<string, int> _idByToken;
    private readonly string?[] _tokenById;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private HfTokenizer(TokenizerDefinition definition, TokenizerConfig config, string source)
    {
        Source = source;
        VocabSize = Math.Max(
            definition.Vocab.Values.Max(),
            definition.AddedTokens.Count == 0 ? 0 : definition.AddedTokens.Max(t => t.Id)) + 1;

        _tokenById = new string?[VocabSize];
        _idByToken = new Dictionary<string, int>(definition.Vocab, StringComparer.Ordinal);
        foreach ((string token, int id) in definition.Vocab)
        {
            _tokenById[id] = token;
        }

        var types = new TokenType[VocabSize];
        Array.Fill(types, TokenType.Unused);
        foreach (int id in definition.Vocab.Values)
        {
            types[id] = TokenType.Normal;
        }

        foreach (AddedToken added in definition.AddedTokens)
        {
            _tokenById[added.Id] = added.Content;
            _idByToken[added.Content] = added.Id;
            types[added.Id] = added.Special ? TokenType.Control : TokenType.UserDefined;
        }

        AddedTokens = definition.AddedTokens.OrderBy(t => t.Id).ToArray();
        TokenTypes = types;
        TokensById = _tokenById.Select((token, id) => token ?? $"[PAD{id}]").ToArray();
        Merges = definition.Merges.ToArray();
        PreTokenizerKind = PreTokenizerKinds.Identify(definition.SplitRules);
        _bpe = BuildBpe(definition);
        _decoder = new ByteLevelDecoder(definition.Vocab, definition.AddedTokens, VocabSize);

        BosToken = config.BosToken;
        EosToken = config.EosToken;
        PadToken = config.PadToken;
        BosId = ResolveConfigToken(config.BosToken, "bos_token");
        EosId = ResolveConfigToken(config.EosToken, "eos_token");
        PadId = ResolveConfigToken(config.PadToken, "pad_token");
        AddBosToken = config.AddBosToken;
        ChatTemplateJinja = config.ChatTemplate;
        NamedChatTemplates = config.NamedChatTemplates;
    }

    /// <summary>Where the tokenizer was loaded from (its folder).</summary>
    public string Source { get; }

    /// <summary>Number of ids: the largest id, vocabulary or added token, plus one.</summary>
    public int VocabSize { get; }

    /// <summary>Id of tokenizer_config.json's bos_token, if it names one.</summary>
    public int? BosId { get; }

    /// <summary>Id of tokenizer_config.json's eos_token, if it names one.</summary>
    public int? EosId { get; }

    /// <summary>Id of tokenizer_config.json's pad_token (equal to EOS in the DeepSeek and R1-distill tokenizers).</summary>
    public int? PadId { get; }

    /// <summary>tokenizer_config.json's add_bos_token. <see cref="Encode"/> never adds BOS; chat templates do, once.</summary>
    public bool AddBosToken { get; }

    /// <summary>Text of the BOS token, if any.</summary>
    public string? BosToken { get; }

    /// <summary>Text of the EOS token, if any.</summary>
    public string? EosToken { get; }

    /// <summary>Text of the padding token, if any.</summary>
    public string? PadToken { get; }

    /// <summary>The Jinja chat template: chat_template.jinja when the folder has one, else tokenizer_config.json's ("default" of the list form).</summary>
    public string? ChatTemplateJinja { get; }

    /// <summary>tokenizer_config.json's chat templates by name: the list form's entries ("default", "tool_use", ...), or the one template as "default".</summary>
    public IReadOnlyDictionary<string, string> NamedChatTemplates { get; }

    /// <summary>The added tokens, by id.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>Every id's token text in id order (vocabulary entries in byte-level form, e.g. "Ġthe"); unused ids read "[PAD{id}]".</summary>
    public IReadOnlyList<string> TokensById { get; }

    /// <summary>Every id's kind, in id order (GGUF numbering).</summary>
    public IReadOnlyList<TokenType> TokenTypes { get; }

    /// <summary>The BPE merges in rank order.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>llama.cpp's name for this pre-tokenizer ("deepseek-v3", "qwen2", "llama-bpe", "gpt-2"), or null if unknown.</summary>
    public string? PreTokenizerKind { get; }

    /// <summary>The underlying Microsoft.ML.Tokenizers tokenizer (same ids as <see cref="Encode"/>).</summary>
    public Tokenizer MlTokenizer => _bpe;

    /// <summary>
    /// Loads <c>tokenizer.json</c> and, if present, <c>tokenizer_config.json</c> from a folder.
    /// </summary>
    /// <exception cref="TokenizerLoadException">A file is missing, malformed, or uses a feature this reader does not support.</exception>
    public static HfTokenizer Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new TokenizerLoadException($"{directory}: no such tokenizer folder. Give the folder that holds tokenizer.json.");
        }

        string tokenizerJson = Path.Combine(directory, "tokenizer.json");
        if (!File.Exists(tokenizerJson))
        {
            throw new TokenizerLoadException(
                $"{tokenizerJson}: not found. Tuneforge reads Hugging Face's tokenizer.json " +
                "(vocab.json/merges.txt or tokenizer.model alone are not enough); download it with the model.");
        }

        TokenizerDefinition definition = TokenizerJsonReader.Read(tokenizerJson);
        string configPath = Path.Combine(directory, "tokenizer_config.json");
        TokenizerConfig config = File.Exists(configPath) ? TokenizerConfig.Read(configPath) : TokenizerConfig.Absent;

        // As in transformers, a chat_template.jinja beside the tokenizer is its template (PEFT adapters carry one).
        if (ChatTemplateText.Read(directory) is { } file)
        {
            config = config with { ChatTemplate = file, NamedChatTemplates = new Dictionary<string, string>(config.NamedChatTemplates) { ["default"] = file } };
        }

        return new HfTokenizer(definition, config, directory);
    }

    /// <summary>
    /// Encodes text; added and special tokens written in the text become their single ids. No BOS or EOS is added.
    /// </summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        IReadOnlyList<int> ids = _bpe.EncodeToIds(WithValidSurrogates(text));
        return ids as int[] ?? [.. ids];
    }

    /// <summary>
    /// Decodes ids to text as Hugging Face does; ids outside the vocabulary are dropped and broken UTF-8 becomes U+FFFD.
    /// </summary>
    /// <param name="ids">The ids.</param>
    /// <param name="skipSpecialTokens">Leave out added tokens marked special (BOS, EOS, role markers).</param>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false) =>
        _decoder.Decode(ids ?? throw new ArgumentNullException(nameof(ids)), skipSpecialTokens);

    /// <summary>The id of a token (a vocabulary entry in byte-level form, or an added token's text).</summary>
    public int? TokenToId(string token) => _idByToken.TryGetValue(token, out int id) ? id : null;

    /// <summary>The token text of an id, or null for an unused or out-of-range id.</summary>
    public string? IdToToken(int id) => (uint)id < (uint)_tokenById.Length ? _tokenById[id] : null;

    /// <summary>Whether an id is an added token marked special.</summary>
    public bool IsSpecial(int id) => (uint)id < (uint)VocabSize && TokenTypes[id] == TokenType.Control;

    private BpeTokenizer BuildBpe(TokenizerDefinition definition)
    {
        var matcher = new AddedTokenMatcher(definition.AddedTokens);
        var specialTokens = definition.AddedTokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        BpeTokenizer Create(Dictionary<string, int> special) => BpeTokenizer.Create(new BpeOptions(definition.Vocab)
        {
            Merges = definition.Merges.Select(m => $"{m.Left} {m.Right}"),
            SpecialTokens = special,
            PreTokenizer = new HfPreTokenizer(matcher, definition.SplitRules),
            Normalizer = definition.Normalization.Length == 0 ? null : new HfNormalizer(matcher, definition.Normalization),
            ByteLevel = true,
        });

        BpeTokenizer bpe = Create(specialTokens);
        if (!definition.IgnoreMerges)
        {
            return bpe;
        }

        // ignore_merges: a piece that is itself a vocabulary entry is that one id. The special-token table is looked
        // up per piece before merging, so the entries that merging would not reach are added there.
        foreach ((string token, int id) in definition.Vocab)
        {
            if (ByteLevelAlphabet.ToBytes(token) is not { } bytes || !System.Text.Unicode.Utf8.IsValid(bytes))
            {
                continue;
            }

            string text = Encoding.UTF8.GetString(bytes);
            IReadOnlyList<int> merged = bpe.EncodeToIds(text, considerPreTokenization: false, considerNormalization: false);
            if ((merged.Count != 1 || merged[0] != id) && !specialTokens.ContainsKey(text))
            {
                specialTokens[text] = id;
            }
        }

        return Create(specialTokens);
    }

    private int? ResolveConfigToken(string? token, string key)
    {
        if (token is null)
        {
            return null;
        }

        return TokenToId(token) ?? throw new TokenizerLoadException(
            $"{Path.Combine(Source, "tokenizer_config.json")}: {key}: \"{token}\" is not a token of tokenizer.json. " +
            "The two files must come from the same model.");
    }

    // Lone surrogates cannot be normalized or written as UTF-8; Hugging Face only ever sees them as U+FFFD.
    private static string WithValidSurrogates(string text)
    {
        int first = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return text;
        }

        char[]? copy = null;
        for (int i = first; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                copy ??= text.ToCharArray();
                copy[i] = '\uFFFD';
            }
        }

        return copy is null ? text : new string(copy);
    }
}
