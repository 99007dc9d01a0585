using Tuneforge.Targets;

namespace Tuneforge.Stages.Distributed;

/// <summary>Programs a launcher runs, found before it starts anything, with an error that says which setting names them.</summary>
public static class Executables
{
    /// <summary>The path of <paramref name="program"/> (a path, or a name looked up on <paramref name="searchPath"/>, default PATH), or null.</summary>
    public static string? Find(string program, string? searchPath = null)
    {
        if (program.Contains(Path.DirectorySeparatorChar)) return File.Exists(program) ? program : null;
        foreach (var folder in (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <param name="setting">What names the program: a pipeline key, or what installs it.</param>
    public static string Require(string program, string setting, string what) =>
        Find(program) ?? throw new BuildException($"'{program}' ({what}) is not on this machine's PATH; install it or point {setting} at it.");
}
