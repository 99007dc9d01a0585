using Tuneforge.Targets;

namespace Tuneforge.Stages.Engine;

/// <summary>Finds the engine program: $TUNEFORGE_ENGINE (another engine speaking the same protocol, e.g. on a GPU
/// runner or in a container), else the one build.sh compiled next to the build.</summary>
public static class EngineLocator
{
    public const string Variable = "TUNEFORGE_ENGINE";

    /// <summary>The command line that starts the engine: a program, or <c>dotnet</c> with the engine's dll.</summary>
    public static EngineCommand Find(string rootDirectory)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } custom)
            return custom.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new("dotnet", [custom]) : new(custom, []);
        var dll = Path.Combine(rootDirectory, "src", "Tuneforge.Engine.Cli", "bin", "Release", "net10.0", "tuneforge-engine.dll");
        if (!File.Exists(dll))
            throw new BuildException($"The engine is not built ({Path.GetRelativePath(rootDirectory, dll)} is missing); run the build through ./build.sh, which builds it, or set {Variable}.");
        return new("dotnet", [dll]);
    }
}

/// <summary>How to start the engine: a program and the arguments before the verb (<c>dotnet tuneforge-engine.dll</c>).</summary>
public sealed record EngineCommand(string FileName, IReadOnlyList<string> Prefix);
