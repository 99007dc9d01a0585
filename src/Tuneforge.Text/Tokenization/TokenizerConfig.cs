using System.Text.Json;

namespace Tuneforge.Text;

/// <summary>The parts of tokenizer_config.json that decide how text is framed: special tokens and the chat template.</summary>
internal sealed record TokenizerConfig(
    string? BosToken,
    string? EosToken,
    string? PadToken,
    string? UnkToken,
    bool AddBosToken,
    bool AddEosToken,
    string? ChatTemplate,
    IReadOnlyDictionary<string, string> NamedChatTemplates)
{
    public static readonly TokenizerConfig Absent = new(null, null, null, null, false, false, null, new Dictionary<string, string>());

    public static TokenizerConfig Read(string path)
    {
        using JsonDocument document = JsonFile.Parse(path);
        JsonFile file = JsonFile.For(path);
        JsonElement root = file.Object(document.RootElement, "(root)");
        return new TokenizerConfig(
            TokenText(file, root, "bos_token"),
            TokenText(file, root, "eos_token"),
            TokenText(file, root, "pad_token"),
            TokenText(file, root, "unk_token"),
            file.Bool(root, "add_bos_token", "", whenAbsent: false),
            file.Bool(root, "add_eos_token", "", whenAbsent: false),
            ChatTemplateText(file, root),
            NamedTemplates(file, root));
    }

    // A special token is written either as its text or as {"content": text, ...} (an AddedToken).
    private static string? TokenText(JsonFile file, JsonElement root, string key)
    {
        if (JsonFile.Optional(root, key) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            return file.String(file.Required(value, "content", key), key + ".content");
        }

        return file.String(value, key);
    }

    // The list form's templates by name ("default", "tool_use", "rag", ...); a single template is "default".
    private static Dictionary<string, string> NamedTemplates(JsonFile file, JsonElement root)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonFile.Optional(root, "chat_template") is not { ValueKind: JsonValueKind.Array } list)
        {
            if (ChatTemplateText(file, root) is { } single)
            {
                named["default"] = single;
            }

            return named;
        }

        int index = 0;
        foreach (JsonElement entry in list.EnumerateArray())
        {
            string path = $"chat_template[{index++}]";
            if (file.OptionalString(entry, "name", path) is { } name)
            {
                named[name] = file.String(file.Required(entry, "template", path), path + ".template");
            }
        }

        return named;
    }

    // Either one template, or a list of {name, template} of which "default" is the chat template.
    private static string? ChatTemplateText(JsonFile file, JsonElement root)
    {
        if (JsonFile.Optional(root, "chat_template") is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return file.String(value, "chat_template");
        }

        int index = 0;
        foreach (JsonElement entry in value.EnumerateArray())
        {
            string path = $"chat_template[{index++}]";
            file.Object(entry, path);
            if (file.OptionalString(entry, "name", path) == "default")
            {
                return file.String(file.Required(entry, "template", path), path + ".template");
            }
        }

        return null;
    }
}
