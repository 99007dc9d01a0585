using System.Text.Json;

namespace Tuneforge.Text;

/// <summary>Typed access to a parsed JSON file whose errors name the file and the JSON path.</summary>
internal sealed class JsonFile
{
    private JsonFile(string path) => Path = path;

    public string Path { get; }

    public static JsonDocument Parse(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException($"{path}: cannot be read ({e.Message}).", e);
        }

        // The JSON reader checks UTF-8 only inside the strings it is asked for, and then throws outside its own errors.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            (long line, long column, byte value) = FirstInvalidUtf8(bytes);
            throw new TokenizerLoadException($"{path}:{line}:{column}: not UTF-8 text (byte 0x{value:X2}). Re-download the file; tokenizer files are UTF-8 JSON.");
        }

        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            // JsonException counts lines and bytes from zero.
            long line = (e.LineNumber ?? 0) + 1;
            long column = (e.BytePositionInLine ?? 0) + 1;
            throw new TokenizerLoadException(
                $"{path}:{line}:{column}: not valid JSON: {FirstSentence(e.Message)} Re-download the file or fix it by hand.", e);
        }
    }

    private static (long Line, long Column, byte Value) FirstInvalidUtf8(byte[] bytes)
    {
        int offset = 0;
        while (System.Text.Rune.DecodeFromUtf8(bytes.AsSpan(offset), out _, out int consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        int lineStart = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(0, offset - 1)) + 1;
        long line = 1 + bytes.AsSpan(0, lineStart).Count((byte)'\n');
        return (line, offset - lineStart + 1, bytes[offset]);
    }

    public static JsonFile For(string path) => new(path);

    public TokenizerLoadException Error(string jsonPath, string problem) =>
        new($"{Path}: {jsonPath}: {problem}");

    public TokenizerLoadException Unsupported(string jsonPath, string feature) =>
        new($"{Path}: {jsonPath}: {feature} is not supported by Tuneforge's tokenizer " +
            "(it reads byte-level BPE tokenizers such as DeepSeek, Qwen and Llama 3). " +
            "Use a model whose tokenizer.json is byte-level BPE, or open an issue with this file.");

    public JsonElement Object(JsonElement element, string jsonPath)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(jsonPath, $"expected an object, found {Describe(element)}.");
        }

        return element;
    }

    public JsonElement Required(JsonElement obj, string key, string parentPath)
    {
        if (!obj.TryGetProperty(key, out JsonElement value))
        {
            throw Error(Join(parentPath, key), "missing.");
        }

        return value;
    }

    /// <summary>The property, or null when it is absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement obj, string key) =>
        obj.TryGetProperty(key, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string String(JsonElement element, string jsonPath)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Error(jsonPath, $"expected a string, found {Describe(element)}.");
        }

        return element.GetString()!;
    }

    public string? OptionalString(JsonElement obj, string key, string parentPath) =>
        Optional(obj, key) is { } value ? String(value, Join(parentPath, key)) : null;

    public bool Bool(JsonElement obj, string key, string parentPath, bool whenAbsent)
    {
        if (Optional(obj, key) is not { } value)
        {
            return whenAbsent;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(Join(parentPath, key), $"expected true or false, found {Describe(value)}."),
        };
    }

    public int Id(JsonElement element, string jsonPath)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out int id) || id < 0)
        {
            throw Error(jsonPath, $"expected a token id (a non-negative integer), found {Describe(element)}.");
        }

        return id;
    }

    public static string Join(string parentPath, string key) => parentPath.Length == 0 ? key : $"{parentPath}.{key}";

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => element.ValueKind.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        string text = cut > 0 ? message[..cut] : message;
        return text.EndsWith('.') ? text : text + ".";
    }
}
