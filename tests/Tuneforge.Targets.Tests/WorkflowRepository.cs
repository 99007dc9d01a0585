namespace Tuneforge.Targets.Tests;

/// <summary>A temporary repository with what workflow generation looks at: global.json and pipeline files.</summary>
public static class WorkflowRepository
{
    public static TempRoot Create(params string[] pipelines)
    {
        var root = new TempRoot();
        File.WriteAllText(root.File("global.json"), """{ "sdk": { "version": "10.0.401" } }""");
        Directory.CreateDirectory(root.File("pipelines"));
        foreach (var pipeline in pipelines.Length > 0 ? pipelines : ["support-zh", "default"])
            File.WriteAllText(root.File($"pipelines/{pipeline}.yaml"), "name: x\n");
        File.WriteAllText(root.File("pipelines/schema.json"), "{}");
        return root;
    }

    public static string Generate<T>(TempRoot root, string name) where T : NukeBuild, new() =>
        ConfigurationGenerator.Generate(new T(), root.Path, [name]).Single().Content;
}
