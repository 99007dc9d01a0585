using Tuneforge.Text.Jinja;

namespace Tuneforge.Text.Tests.Templates.Jinja;

/// <summary>Unsupported constructs fail when a template is loaded, with the template's line:column and the construct named.</summary>
public sealed class JinjaErrorTests
{
    [Theory]
    [InlineData("{{ x | shuffle }}", "t:1:8: the filter 'shuffle' is not supported")]
    [InlineData("a\n{% if x is prime %}{% endif %}", "t:2:12: the test 'prime' is not supported")]
    [InlineData("{{ x.format(1) }}", "t:1:6: the method 'format()' is not supported")]
    [InlineData("{{ cycler('a') }}", "t:1:4: the function 'cycler()' is not defined")]
    [InlineData("{% include 'other.jinja' %}", "t:1:1: '{% include %}' (other template files) is not supported")]
    [InlineData("{% extends 'base' %}", "t:1:1: '{% extends %}' (template inheritance) is not supported")]
    [InlineData("{{ xs | map('shout') | list }}", "t:1:9: the filter 'shout' (an argument of 'map') is not supported")]
    [InlineData("{{ xs | selectattr('role', 'prime') | list }}", "t:1:9: the test 'prime' (an argument of 'selectattr') is not supported")]
    [InlineData("{% frobnicate %}", "t:1:1: unknown statement '{% frobnicate %}'.")]
    [InlineData("{% for m in messages %}\n  {{ m }}\n", "t:2:10: the template ends inside '{% for %}' (opened at line 1, column 1): expected '{% endfor %}' or '{% else %}'.")]
    [InlineData("{% if a %}\n{% endfor %}", "t:2:1: '{% endfor %}' does not close the innermost open block '{% if %}' (line 1, column 1).")]
    [InlineData("{% endif %}", "t:1:1: '{% endif %}' has no open block to close.")]
    [InlineData("{{ 'abc' ", "t:1:1: the expression '{{' is never closed by '}}'.")]
    [InlineData("{{ 'abc' }", "t:1:10: unexpected '}'.")]
    [InlineData("x {# note", "t:1:3: the comment '{#' is never closed by '#}'.")]
    [InlineData("{{ (1 + 2 }}", "t:1:11: unexpected '}', expected ')'.")]
    [InlineData("{% break %}", "t:1:1: '{% break %}' outside a for loop.")]
    [InlineData("{% for x in y recursive %}{% endfor %}", "t:1:15: recursive for loops are not supported.")]
    [InlineData("{{ 'unterminated }}", "t:1:4: the string is never closed by its quote.")]
    [InlineData("{{ 'bad \\u12' }}", "t:1:4: a string literal has a truncated \\u escape.")]
    [InlineData("{% set = 1 %}", "t:1:8: unexpected '='.")]
    public void An_unsupported_or_broken_template_fails_at_load_with_its_position(string template, string message)
    {
        var error = Assert.Throws<ChatTemplateException>(() => JinjaTemplate.Parse(template, "t"));

        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void A_tokenizer_template_with_an_unsupported_filter_fails_when_the_chat_template_is_built()
    {
        var error = Assert.Throws<ChatTemplateException>(() =>
            new JinjaChatTemplate("{% for m in messages %}{{ m.content | wordwrap(10) }}{% endfor %}", "cfg chat_template", "<s>", "</s>"));

        Assert.Equal(
            "cfg chat_template:1:39: the filter 'wordwrap' is not supported by Tuneforge's Jinja renderer (supported filters: " +
            string.Join(", ", new[]
            {
                "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float", "indent", "int", "items",
                "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "safe",
                "select", "selectattr", "sort", "string", "sum", "title", "tojson", "trim", "unique", "upper", "wordcount",
            }) +
            "). Rewrite that part of the template, or choose a named template (model.chat_template).",
            error.Message);
    }

    [Fact]
    public void Raise_exception_surfaces_the_templates_message_and_where_it_was_raised()
    {
        var gemma = new JinjaChatTemplate(JinjaParity.ParityFixtures.TemplateOf("gemma3.json"), "gemma3 chat_template", "<bos>", "<end_of_turn>");

        var error = Assert.Throws<ChatTemplateException>(() =>
            gemma.RenderText([ChatMessage.User("a"), ChatMessage.User("b"), ChatMessage.Assistant("c")]));

        Assert.Equal("gemma3 chat_template:19:12: the template raised an error: Conversation roles must alternate user/assistant/user/assistant/...", error.Message);
    }

    [Fact]
    public void A_type_error_while_rendering_names_the_operation_and_position()
    {
        JinjaTemplate template = JinjaTemplate.Parse("line one\n{{ 'a' + messages }}", "t");

        var error = Assert.Throws<ChatTemplateException>(() => template.Render([new("messages", ListValue.Empty)]));

        Assert.Equal("t:2:8: TypeError: can only concatenate str (not \"list\") to str (while rendering)", error.Message);
    }

    [Fact]
    public void Reading_an_attribute_of_something_undefined_says_what_was_undefined()
    {
        JinjaTemplate template = JinjaTemplate.Parse("{{ messages[0].role }}", "t");

        var error = Assert.Throws<ChatTemplateException>(() => template.Render([new("messages", ListValue.Empty)]));

        Assert.Equal("t:1:16: UndefinedError: list object has no element 0 (while rendering)", error.Message);
    }

    [Fact]
    public void A_template_that_would_change_a_list_fails_at_load()
    {
        var error = Assert.Throws<ChatTemplateException>(() => JinjaTemplate.Parse("{{ messages.append(1) }}", "t"));

        Assert.StartsWith("t:1:13: the method 'append()' is not supported", error.Message);
    }
}
