using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;

namespace Tuneforge.Text;

/// <summary>
/// The chat template as text that travels with a model: the <c>chat_template.jinja</c> file transformers writes beside
/// the tokenizer (and so into an adapter folder), and the check that a copy (GGUF <c>tokenizer.chat_template</c>, a
/// served model's folder) is the template the model was trained with.
/// </summary>
public static class ChatTemplateText
{
    /// <summary>The file transformers (4.50 and later) saves the chat template in, in a tokenizer or adapter folder.</summary>
    public const string FileName = "chat_template.jinja";

    /// <summary>
    /// The Jinja text of a template: a tokenizer template's source, or a named template written as Jinja for the
    /// <paramref name="options"/> it renders with (the same text, proven by rendering).
    /// </summary>
    public static string Of(IChatTemplate template, ChatRenderOptions? options = null) => template switch
    {
        JinjaChatTemplate jinja => jinja.Source,
        ChatTemplate named => named.Jinja(options),
        _ => throw new ArgumentException($"{template.GetType().Name} is not a template Tuneforge can write as Jinja.", nameof(template)),
    };

    /// <summary>
    /// The named template and options whose Jinja form <paramref name="text"/> is (what a Go-template Modelfile needs to
    /// know), or null for any other template, e.g. a checkpoint's own.
    /// </summary>
    public static (IChatTemplate Template, ChatRenderOptions Options)? NamedFormOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (string name in ChatTemplates.Names)
        {
            IChatTemplate template = ChatTemplates.Get(name);
            foreach (MissingReasoning whenNoReasoning in Enum.GetValues<MissingReasoning>())
            {
                foreach (bool open in new[] { false, true }.Where(o => !o || whenNoReasoning == MissingReasoning.EmptyThinkBlock))
                {
                    var options = new ChatRenderOptions { WhenNoReasoning = whenNoReasoning, OpenThinkInPrompt = open };
                    if (string.Equals(Of(template, options), text, StringComparison.Ordinal))
                    {
                        return (template, options);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>tokenizer_config.json, whose <c>chat_template</c> older readers take.</summary>
    public const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>Writes <see cref="FileName"/> into a folder, whole or not at all (a temporary file is renamed into place).</summary>
    public static string Write(string folder, string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        AtomicFile.WriteAllText(path, template);
        return path;
    }

    /// <summary>
    /// Stores the template a model was trained with beside its weights, as transformers saves it: <see cref="FileName"/>,
    /// and tokenizer_config.json's <c>chat_template</c> when the folder carries tokenizer files (a merged or fully tuned model).
    /// </summary>
    public static void WriteBesideWeights(string folder, string template)
    {
        Write(folder, template);
        string config = Path.Combine(folder, TokenizerConfigFile);
        if (!File.Exists(config))
        {
            return;
        }

        JsonObject json = JsonNode.Parse(File.ReadAllText(config)) as JsonObject
            ?? throw new ChatTemplateException($"{config}: not a JSON object; write the tokenizer files again.");
        json["chat_template"] = template;
        AtomicFile.WriteAllText(config, json.ToJsonString(ConfigJson) + "\n");
    }

    /// <summary>
    /// Checks that the template stored with a model (its <see cref="FileName"/>) is the one the pipeline resolves now.
    /// </summary>
    /// <param name="resolved">The template text the pipeline's <c>model.chat_template</c> gives.</param>
    /// <param name="resolvedFrom">Where that came from, for the message, e.g. "…/tokenizer_config.json chat_template (what model.chat_template resolves to)".</param>
    /// <param name="folder">The adapter or model folder.</param>
    /// <returns>False when the folder stores no template (weights trained before templates were stored, or a base model).</returns>
    /// <exception cref="ChatTemplateException">The two differ; the message names both and where they part.</exception>
    public static bool RequireStored(string resolved, string resolvedFrom, string folder)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        string path = Path.Combine(folder, FileName);
        string? stored = Read(folder);
        if (stored is null)
        {
            return false;
        }

        if (FirstDifference(stored, resolved) is { } difference)
        {
            throw new ChatTemplateException(
                $"{path} (the template the model was trained with) and {resolvedFrom} differ {difference.Describe("stored", "pipeline")}. " +
                "Set model.chat_template and chat_template_kwargs as they were for training, or train again.");
        }

        return true;
    }

    private static readonly JsonSerializerOptions ConfigJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The <see cref="FileName"/> of a folder, or null when it has none.</summary>
    public static string? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>Checks that a copy of the chat template is the one training used, byte for byte.</summary>
    /// <param name="trained">The template text training rendered with.</param>
    /// <param name="found">The copy (null when the place has none).</param>
    /// <param name="where">The place of the copy, e.g. "dist/model.gguf tokenizer.chat_template".</param>
    /// <exception cref="ChatTemplateException">The copy is missing or differs; the message shows the first difference by line and column.</exception>
    public static void RequireSame(string trained, string? found, string where)
    {
        ArgumentNullException.ThrowIfNull(trained);
        if (found is null)
        {
            throw new ChatTemplateException($"{where} has no chat template, but the model was trained with one; write the training template there.");
        }

        if (FirstDifference(trained, found) is { } difference)
        {
            throw new ChatTemplateException(
                $"{where}: the chat template differs from the one the model was trained with, {difference.Describe("trained", "found")}. " +
                "A template that differs by one newline changes what the model sees; write the training template there again.");
        }
    }

    private static Difference? FirstDifference(string expected, string actual)
    {
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return null;
        }

        int at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }

        int line = 1 + expected.AsSpan(0, at).Count('\n');
        int column = at - (expected.LastIndexOf('\n', Math.Max(0, at - 1)) + 1) + 1;
        string Around(string s) => Jinja.PyOps.ReprString(s.Substring(at, Math.Min(40, s.Length - at)));
        return new Difference(line, column, Around(expected), Around(actual));
    }

    private sealed record Difference(int Line, int Column, string Expected, string Actual)
    {
        public string Describe(string expectedName, string actualName) =>
            $"from line {Line}, column {Column} ({expectedName}: {Expected}, {actualName}: {Actual})";
    }
}
