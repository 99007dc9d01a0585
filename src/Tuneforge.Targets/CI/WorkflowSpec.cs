using System.Text.RegularExpressions;

namespace Tuneforge.Targets;

/// <summary>A <see cref="GitHubActionsAttribute"/> checked against the build and the repository: targets resolved,
/// parameters found, matrix files listed. Every mistake is a <see cref="BuildException"/> naming the workflow.</summary>
public sealed partial record WorkflowSpec(
    GitHubActionsAttribute Attribute,
    IReadOnlyList<(string Id, YamlNode RunsOn)> Jobs,
    IReadOnlyList<IReadOnlyList<string>> Invocations,
    IReadOnlyList<(string Target, IReadOnlyList<string> Patterns)> Produced,
    IReadOnlyList<(string Name, string Value)> Environment,
    WorkflowMatrix? Matrix,
    IReadOnlyList<(ParameterMember Parameter, bool Required)> DispatchInputs,
    bool SetupDotNet,
    IReadOnlyList<string> ReleaseAssets)
{
    public bool IsWindows(YamlNode runsOn) => runsOn is YamlScalar { Value: var label } && label.StartsWith("windows", StringComparison.Ordinal);

    public static WorkflowSpec Resolve(GitHubActionsAttribute attribute, ConfigurationContext context)
    {
        var name = attribute.Name;
        BuildException Error(string message) => new($"[GitHubActions(\"{name}\")] on {context.BuildTypeName}: {message}");

        if (!WorkflowName().IsMatch(name)) throw Error("the name must be letters, digits, '-', '_' or '.' (it is the file name).");
        if (attribute.On.Length == 0) throw Error("On is empty; name at least one trigger, e.g. On = [GitHubActionsTrigger.PullRequest].");
        if (attribute.On.Contains(GitHubActionsTrigger.Schedule) != attribute.OnCronSchedule is not null)
            throw Error("Schedule in On and OnCronSchedule go together.");

        var jobs = new List<(string, YamlNode)>();
        if (attribute.RunsOnLabels.Length > 0)
        {
            if (attribute.Images.Length > 0) throw Error("give either images or RunsOnLabels, not both.");
            jobs.Add((attribute.JobName ?? string.Join("-", attribute.RunsOnLabels),
                new YamlSequence(attribute.RunsOnLabels.Select(l => (YamlNode)l).ToList(), Flow: true)));
        }
        else
        {
            if (attribute.Images.Length == 0) throw Error("no runner: give an image or RunsOnLabels.");
            if (attribute.JobName is not null && attribute.Images.Length > 1) throw Error("JobName needs a single image.");
            jobs.AddRange(attribute.Images.Distinct().Select(i => (attribute.JobName ?? i.Label(), (YamlNode)i.Label())));
        }
        foreach (var (id, _) in jobs)
            if (!JobId().IsMatch(id) || id == "release") throw Error($"'{id}' cannot be a job id (letters, digits, '-' or '_', not 'release').");

        if (attribute.InvokedTargets.Length > 0 && attribute.Invocations.Length > 0) throw Error("give either InvokedTargets or Invocations, not both.");
        IEnumerable<string[]> written = attribute.InvokedTargets.Length > 0
            ? [attribute.InvokedTargets]
            : attribute.Invocations.Select(i => i.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var invocations = written.Select(names => (IReadOnlyList<ExecutableTarget>)names.Select(n => context.Target(name, n)).ToList()).ToList();
        if (invocations.Count == 0 || invocations.Any(i => i.Count == 0)) throw Error("no targets to run: set InvokedTargets or Invocations.");

        // Release assets are uploaded once, for the release job; not again as the target's artifact.
        var produced = attribute.PublishArtifacts
            ? context.Plan(invocations)
                .Select(t => (t.Name, Patterns: (IReadOnlyList<string>)t.ProducedPatterns.Distinct().Except(attribute.ReleaseAssets).ToList()))
                .Where(t => t.Patterns.Count > 0)
                .ToList()
            : [];

        var environment = new List<(string, string)>();
        foreach (var pair in attribute.EnvironmentVariables)
        {
            var separator = pair.IndexOf('=');
            if (separator <= 0 || !VariableName().IsMatch(pair[..separator])) throw Error($"EnvironmentVariables entry '{pair}' is not NAME=value.");
            environment.Add((pair[..separator], pair[(separator + 1)..]));
        }

        var matrix = WorkflowMatrix.Resolve(attribute, context, Error);
        if (matrix is not null && attribute.OnWorkflowDispatchOptionalInputs.Concat(attribute.OnWorkflowDispatchRequiredInputs)
                .Any(i => ArgumentParser.Normalize(i) == ArgumentParser.Normalize(matrix.Parameter.MemberName)))
            throw Error($"{matrix.Parameter.MemberName} is set by the matrix; it cannot also be a dispatch input.");
        var inputs = attribute.OnWorkflowDispatchRequiredInputs.Select(i => (context.Parameter(name, "OnWorkflowDispatchRequiredInputs", i), true))
            .Concat(attribute.OnWorkflowDispatchOptionalInputs.Select(i => (context.Parameter(name, "OnWorkflowDispatchOptionalInputs", i), false)))
            .ToList();
        if (inputs.Count > 0 && !attribute.On.Contains(GitHubActionsTrigger.WorkflowDispatch))
            throw Error("dispatch inputs need GitHubActionsTrigger.WorkflowDispatch in On.");
        foreach (var secret in attribute.ImportSecrets)
            if (!VariableName().IsMatch(secret)) throw Error($"ImportSecrets entry '{secret}' is not a valid variable name.");
        if (attribute.ReleaseAssets.Length > 0 && !attribute.OnPushTags.Any())
            throw Error("ReleaseAssets make a release of the pushed tag: set OnPushTags (e.g. [\"v*\"]).");

        return new WorkflowSpec(attribute, jobs, invocations.Select(i => (IReadOnlyList<string>)i.Select(t => t.Name).ToList()).ToList(),
            produced, environment, matrix, inputs, attribute.SetupDotNet && context.FileExists("global.json"), attribute.ReleaseAssets);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex WorkflowName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex JobId();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
