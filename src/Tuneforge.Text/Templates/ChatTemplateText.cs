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

    /// <summary>Writes <see cref="FileName"/> into a folder, whole or not at all (a temporary file is renamed into place).</summary>
    public static string Write(string folder, string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, template, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
        return path;
    }

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

        if (string.Equals(trained, found, StringComparison.Ordinal))
        {
            return;
        }

        int at = 0;
        while (at < trained.Length && at < found.Length && trained[at] == found[at])
        {
            at++;
        }

        int line = 1 + trained.AsSpan(0, at).Count('\n');
        int column = at - (trained.LastIndexOf('\n', Math.Max(0, at - 1)) + 1) + 1;
        string Around(string s) => Jinja.PyOps.ReprString(s.Substring(at, Math.Min(40, s.Length - at)));
        throw new ChatTemplateException(
            $"{where}: the chat template differs from the one the model was trained with, from line {line}, column {column} " +
            $"(trained: {Around(trained)}, found: {Around(found)}). A template that differs by one newline changes what the " +
            "model sees; write the training template there again.");
    }
}
