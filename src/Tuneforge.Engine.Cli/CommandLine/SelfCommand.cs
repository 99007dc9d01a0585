namespace Tuneforge.Engine.Cli.CommandLine;

/// <summary>The command line that starts this program again: the apphost (<c>bin/.../tuneforge-engine</c>) alone, or
/// <c>dotnet</c> with the engine's dll when it was started as <c>dotnet tuneforge-engine.dll</c>.</summary>
public static class SelfCommand
{
    public static (string FileName, IReadOnlyList<string> Prefix) Current() =>
        For(Environment.ProcessPath ?? throw new InvalidOperationException("the engine's own executable is unknown"),
            typeof(SelfCommand).Assembly.Location);

    /// <param name="processPath">The running executable: the apphost, or the dotnet host.</param>
    /// <param name="entryAssembly">The engine's dll.</param>
    public static (string FileName, IReadOnlyList<string> Prefix) For(string processPath, string entryAssembly) =>
        Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? (processPath, [entryAssembly]) : (processPath, []);
}
