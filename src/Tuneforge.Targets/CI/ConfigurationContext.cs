namespace Tuneforge.Targets;

/// <summary>What a CI configuration is generated from: the build's targets and parameters, and the repository's files.</summary>
public sealed class ConfigurationContext
{
    public ConfigurationContext(NukeBuild build, string rootDirectory)
    {
        Build = build;
        RootDirectory = rootDirectory;
        BuildTypeName = build.GetType().Name;
        // A fresh set of targets: planning marks targets as invoked, which must not leak into the build's own run.
        Targets = ExecutableTargetFactory.CreateAll(build, null);
        Parameters = ParameterMember.Of(build.GetType());
    }

    public NukeBuild Build { get; }
    public string RootDirectory { get; }
    public string BuildTypeName { get; }
    public IReadOnlyList<ExecutableTarget> Targets { get; }
    public IReadOnlyList<ParameterMember> Parameters { get; }

    public bool FileExists(string relativePath) => File.Exists(Path.Combine(RootDirectory, relativePath));

    /// <summary>The target of that name (case and dashes ignored), or an error naming the workflow and the known targets.</summary>
    public ExecutableTarget Target(string workflow, string name)
    {
        var normalized = ArgumentParser.Normalize(name);
        if (Targets.FirstOrDefault(t => ArgumentParser.Normalize(t.Name) == normalized) is { } target) return target;
        var names = Targets.Where(t => t.Listed).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        var hint = Text.DidYouMean(name, names) is { } suggestion ? $" Did you mean '{suggestion}'?" : "";
        throw new BuildException($"[GitHubActions(\"{workflow}\")] on {BuildTypeName} invokes target '{name}', which does not exist.{hint} " +
                                 $"Available targets are: {string.Join(", ", names)}.");
    }

    /// <summary>The parameter of that name (member or --dashed name), or an error naming the workflow and the property.</summary>
    public ParameterMember Parameter(string workflow, string property, string name)
    {
        var normalized = ArgumentParser.Normalize(name);
        if (Parameters.FirstOrDefault(p => ArgumentParser.Normalize(p.MemberName) == normalized) is { } parameter) return parameter;
        var names = Parameters.Select(p => p.MemberName).ToList();
        var hint = Text.DidYouMean(name, names) is { } suggestion ? $" Did you mean '{suggestion}'?" : "";
        throw new BuildException($"[GitHubActions(\"{workflow}\")] on {BuildTypeName}: {property} names '{name}', which is not a parameter of the build.{hint}");
    }

    /// <summary>The targets the given invocations run, dependencies included, in plan order.</summary>
    public IReadOnlyList<ExecutableTarget> Plan(IEnumerable<IReadOnlyList<ExecutableTarget>> invocations)
    {
        var planned = new List<ExecutableTarget>();
        foreach (var invocation in invocations)
        {
            // Plan on a fresh copy each time: the planner keeps state on the targets.
            var fresh = ExecutableTargetFactory.CreateAll(Build, null);
            foreach (var target in ExecutionPlanner.Plan(fresh, invocation.Select(t => t.Name).ToList()))
                if (planned.All(p => p.Name != target.Name)) planned.Add(Targets.Single(t => t.Name == target.Name));
        }
        return planned;
    }
}
