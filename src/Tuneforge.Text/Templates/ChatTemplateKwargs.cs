using System.Globalization;

namespace Tuneforge.Text;

/// <summary>
/// Extra variables for a tokenizer's Jinja chat template, as transformers passes <c>**kwargs</c> of
/// apply_chat_template (<c>enable_thinking: false</c> for Qwen3, <c>date_string</c> for Llama 3.1, ...).
/// </summary>
public sealed class ChatTemplateKwargs
{
    private static readonly string[] Reserved = ["messages", "add_generation_prompt", "tools"];

    private readonly List<KeyValuePair<string, object?>> _values;

    private ChatTemplateKwargs(List<KeyValuePair<string, object?>> values) => _values = values;

    /// <summary>No extra variables.</summary>
    public static ChatTemplateKwargs None { get; } = new([]);

    /// <summary>The variables in the order given; values are null, bool, long, double or string.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Values => _values;

    /// <summary>
    /// From the pipeline's <c>model.chat_template_kwargs</c>, whose values are YAML scalars: true/false become booleans,
    /// whole numbers integers, other numbers floats, null/~ None, anything else a string.
    /// </summary>
    /// <exception cref="ChatTemplateException">A name is one Tuneforge sets itself (messages, add_generation_prompt, tools).</exception>
    public static ChatTemplateKwargs FromScalars(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return From(values.Select(v => new KeyValuePair<string, object?>(v.Key, Scalar(v.Value))));
    }

    /// <summary>From typed values (null, bool, int, long, double or string).</summary>
    /// <exception cref="ChatTemplateException">A name is reserved, or a value has another type.</exception>
    public static ChatTemplateKwargs From(IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = new List<KeyValuePair<string, object?>>();
        foreach ((string name, object? value) in values)
        {
            if (Reserved.Contains(name))
            {
                throw new ChatTemplateException(
                    $"chat_template_kwargs.{name}: Tuneforge sets '{name}' itself from the conversation; remove it from the kwargs.");
            }

            object? typed = value switch
            {
                null or bool or long or double or string => value,
                int i => (long)i,
                float f => (double)f,
                _ => throw new ChatTemplateException(
                    $"chat_template_kwargs.{name}: a {value.GetType().Name} cannot be passed to a template; use true/false, a number or a string."),
            };
            list.RemoveAll(p => p.Key == name);
            list.Add(new(name, typed));
        }

        return new ChatTemplateKwargs(list);
    }

    private static object? Scalar(string text) => text switch
    {
        "true" or "True" => true,
        "false" or "False" => false,
        "null" or "~" or "None" => null,
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) => l,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) => d,
        _ => text,
    };
}
