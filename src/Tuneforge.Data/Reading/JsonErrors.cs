using System.Text.Json;

namespace Tuneforge.Data.Reading;

/// <summary>System.Text.Json's parse errors without their position suffix (the caller says file:line:column).</summary>
internal static class JsonErrors
{
    public static string Describe(JsonException e)
    {
        var message = e.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) message = message[..at];
        }
        message = message.Trim();
        return message.EndsWith('.') ? message : message + ".";
    }
}
