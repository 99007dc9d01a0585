namespace Tuneforge.Engine.Cli.CommandLine;

/// <summary>An option's comma-separated values (<c>--batches 1,8</c>), each parsed; a bad one is a usage error naming the verb.</summary>
public static class CommaList
{
    public static List<T> Parse<T>(string verb, string text, Func<string, T> parse)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UsageException($"{verb}: '{text}': {e.Message}");
        }
    }
}
