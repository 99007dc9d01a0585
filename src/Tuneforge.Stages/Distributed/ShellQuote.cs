namespace Tuneforge.Stages.Distributed;

/// <summary>A word for a POSIX shell script, quoted only when it needs to be.</summary>
public static class ShellQuote
{
    public static string Word(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? value : "'" + value.Replace("'", "'\\''") + "'";

    public static string Words(IEnumerable<string> values) => string.Join(" ", values.Select(Word));
}
