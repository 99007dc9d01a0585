using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Tuneforge.Pipeline.Model;

namespace Tuneforge.Pipeline.Loading;

/// <summary>Checks the declared rules of every key (range, pattern, required, list length, allowed values).</summary>
internal sealed class SpecValidator(Func<string, SpecLocation> locate)
{
    public List<SpecError> Errors { get; } = [];

    public void Validate(object section, string path)
    {
        foreach (var property in SpecModel.PropertiesOf(section.GetType()))
        {
            var childPath = SpecBinder.Join(path, property.Name);
            var value = property.Property.GetValue(section);
            Check(property, value, childPath);
            if (value is not null && SpecModel.IsSection(value.GetType())) Validate(value, childPath);
            if (value is System.Collections.IList list && SpecModel.ElementTypeOf(property.Type) is { } element && SpecModel.IsSection(element))
                for (var i = 0; i < list.Count; i++) Validate(list[i]!, $"{childPath}[{i}]");
        }
    }

    void Check(SpecProperty property, object? value, string path)
    {
        if (property.IsRequired && (value is null || value is string { Length: 0 }))
            Fail(path, "is required.");
        if (value is null) return;
        if (property.Range is { } range && value is int or double)
            CheckRange(range, Convert.ToDouble(value, CultureInfo.InvariantCulture), path);
        if (property.Pattern is { } pattern && value is string text && !Regex.IsMatch(text, pattern.Pattern))
            Fail(path, PatternMessage(pattern.Pattern, text));
        if (property.MinLength is { } minLength && value is ICollection collection && collection.Count < minLength.Length)
            Fail(path, $"needs at least {minLength.Length} item{(minLength.Length == 1 ? "" : "s")}.");
        if (property.AllowedValues is { } allowed && !allowed.Values.Any(v => Equals(v, value)))
            Fail(path, $"must be one of {string.Join(", ", allowed.Values)} (got {value}).");
    }

    void CheckRange(System.ComponentModel.DataAnnotations.RangeAttribute range, double value, string path)
    {
        var min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        var max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        var tooLow = range.MinimumIsExclusive ? value <= min : value < min;
        var tooHigh = range.MaximumIsExclusive ? value >= max : value > max;
        if (!tooLow && !tooHigh) return;
        var lower = $"{(range.MinimumIsExclusive ? ">" : ">=")} {Format(min)}";
        var upper = $"{(range.MaximumIsExclusive ? "<" : "<=")} {Format(max)}";
        var bound = IsOpenEnded(max) ? lower : $"{lower} and {upper}";
        Fail(path, $"must be {bound} (got {Format(value)}).");
    }

    static bool IsOpenEnded(double max) => max >= int.MaxValue || max >= 1e6;

    static string PatternMessage(string pattern, string text)
    {
        // Patterns of the form ^(a|b|c)$ are closed lists: name them.
        var list = Regex.Match(pattern, @"^\^\(([^()]+)\)\$$");
        if (list.Success || Regex.IsMatch(pattern, @"^\^[a-z0-9_-]+\$$"))
        {
            var options = (list.Success ? list.Groups[1].Value : pattern.Trim('^', '$')).Split('|');
            return $"'{text}' is not one of: {string.Join(", ", options)}.{DidYouMean.Hint(text, options)}";
        }
        return $"'{text}' does not match the expected form {pattern}.";
    }

    static string Format(double d) => d.ToString("G", CultureInfo.InvariantCulture);

    public void Fail(string path, string message) => Errors.Add(new SpecError(locate(path), path, message));
}
