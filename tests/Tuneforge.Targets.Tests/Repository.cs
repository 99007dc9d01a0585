using System.Reflection;

namespace Tuneforge.Targets.Tests;

/// <summary>This repository (the folder with .nuke/ above the test's output) and its build.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")) && File.Exists(Path.Combine(directory.FullName, "build", "_build.csproj")))
                return directory.FullName;
        throw new InvalidOperationException($"No repository root (a folder with .nuke/ and build/_build.csproj) above {AppContext.BaseDirectory}.");
    }

    /// <summary>build/bin/&lt;configuration&gt;/net10.0/_build.dll, in the test's own configuration.</summary>
    public static string BuildAssembly
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(Root, "build", "bin", framework.Parent!.Name, framework.Name, "_build.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build build/_build.csproj in the same configuration.");
        }
    }

    /// <summary>A new instance of the repository's Build class, from build/bin/&lt;configuration&gt;/net10.0/_build.dll, which
    /// the test project builds first (a ProjectReference without its output: the build's dependencies stay out of the tests).</summary>
    public static NukeBuild CreateBuild()
    {
        var type = Assembly.LoadFrom(BuildAssembly).GetType("Build", throwOnError: true)!;
        return (NukeBuild)Activator.CreateInstance(type, nonPublic: true)!;
    }
}
