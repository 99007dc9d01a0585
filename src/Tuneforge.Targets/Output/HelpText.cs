namespace Tuneforge.Targets;

/// <summary>--help: the targets with their direct dependencies and descriptions, then the parameters.</summary>
public static class HelpText
{
    public static string Render(IReadOnlyList<ExecutableTarget> targets, IReadOnlyList<ParameterMember> parameters, string? footer)
    {
        var lines = new List<string> { "Targets (with their direct dependencies):", "" };
        var listed = targets.Where(t => t.Listed).ToList();
        var names = listed.Select(t => t.Name + (t.IsDefault ? " (default)" : "")).ToList();
        var nameWidth = names.Max(n => n.Length) + 2;
        var dependencies = listed.Select(t => t.ExecutionDependencies.Count > 0 ? "-> " + string.Join(", ", t.ExecutionDependencies.Select(d => d.Name)) : "").ToList();
        var dependencyWidth = dependencies.Max(d => d.Length) + 2;
        for (var i = 0; i < listed.Count; i++)
            lines.Add($"  {names[i].PadRight(nameWidth)}{dependencies[i].PadRight(dependencyWidth)}{listed[i].Description}".TrimEnd());
        lines.Add("");
        lines.Add("Parameters:");
        lines.Add("");
        var parameterWidth = parameters.Max(p => p.DashedName.Length) + 6;
        foreach (var parameter in parameters)
        {
            var type = parameter.Type == typeof(bool) ? "" : $" <{ValueConverter.TypeName(parameter.Type)}>";
            lines.Add($"  --{parameter.DashedName.PadRight(parameterWidth)}{parameter.Description}{type}".TrimEnd());
        }
        if (footer is not null)
        {
            lines.Add("");
            lines.Add(footer.TrimEnd());
        }
        return string.Join(Environment.NewLine, lines);
    }
}
