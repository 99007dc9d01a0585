namespace Tuneforge.Targets;

/// <summary>The build's side of <c>--generate-configuration</c>: writes the requested files and says what changed; on
/// local runs, regenerates the files marked AutoGenerate (as NUKE does) without failing the run over them.</summary>
internal static class ConfigurationRunner
{
    public static void Generate(NukeBuild build, string root, IReadOnlyCollection<string> ids)
    {
        var files = ConfigurationGenerator.Generate(build, root, ids);
        if (files.Count == 0)
        {
            Log.Warning($"{build.GetType().Name} declares no CI configuration ([GitHubActions(...)] attributes); nothing to write.");
            return;
        }
        var changed = ConfigurationGenerator.Write(files, root);
        foreach (var file in files)
            Log.Information($"{(changed.Contains(file.RelativePath) ? "Wrote" : "Up to date")}: {file.RelativePath} ({file.Id})");
    }

    public static void AutoGenerate(NukeBuild build, string root)
    {
        try
        {
            if (ConfigurationGenerator.Attributes(build.GetType()).All(a => !a.AutoGenerate)) return;
            var files = ConfigurationGenerator.Generate(build, root).Where(f => f.AutoGenerate);
            foreach (var path in ConfigurationGenerator.Write(files, root)) Log.Information($"Regenerated {path} (commit it with your change).");
        }
        catch (BuildException e)
        {
            Log.Warning($"The CI configuration was not regenerated: {e.Message} Run ./build.sh --generate-configuration after fixing it.");
        }
    }
}
