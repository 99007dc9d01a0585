namespace Tuneforge.Serve;

/// <summary>The server's version, as OpenAI's <c>system_fingerprint</c> reports the configuration that answered.</summary>
public static class ServeVersion
{
    public static string Version { get; } = typeof(ServeVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static string Fingerprint { get; } = $"tuneforge-{Version}";
}
