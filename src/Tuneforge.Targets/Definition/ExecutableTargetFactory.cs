using System.Reflection;

namespace Tuneforge.Targets;

/// <summary>Finds the Target properties of a build class, runs their definitions, and wires dependencies both ways.</summary>
internal static class ExecutableTargetFactory
{
    public static IReadOnlyList<ExecutableTarget> CreateAll(object build, Target? defaultTarget)
    {
        var properties = TargetProperties(build.GetType());
        var targets = properties.Select((property, index) =>
        {
            var factory = (Target)property.GetValue(build)!;
            var definition = new TargetDefinition();
            factory(definition);
            return new ExecutableTarget(property.Name, factory, definition, defaultTarget is not null && SameTarget(factory, defaultTarget), index);
        }).ToList();
        foreach (var target in targets) ApplyDependencies(target, targets);
        return targets;
    }

    public static IEnumerable<PropertyInfo> TargetPropertiesOf(Type buildType) => TargetProperties(buildType);

    static List<PropertyInfo> TargetProperties(Type buildType) => buildType
        .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .Where(p => p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0)
        .OrderBy(p => p.MetadataToken)
        .ToList();

    // Target properties return a new delegate on each call; equal method + receiver means the same target.
    internal static bool SameTarget(Target a, Target b) => a.Method == b.Method && ReferenceEquals(a.Target, b.Target);

    internal static ExecutableTarget Find(IReadOnlyList<ExecutableTarget> targets, Target factory) =>
        targets.Single(t => SameTarget(t.Factory, factory));

    static void ApplyDependencies(ExecutableTarget target, IReadOnlyList<ExecutableTarget> all)
    {
        IEnumerable<ExecutableTarget> Resolve(Func<TargetDefinition, List<Target>> direct, Func<TargetDefinition, List<Target>> reverse)
        {
            foreach (var factory in direct(target.Definition)) yield return Find(all, factory);
            foreach (var other in all.Where(o => o != target))
                if (reverse(other.Definition).Any(f => SameTarget(f, target.Factory)))
                    yield return other;
        }

        target.ExecutionDependencies.AddRange(Resolve(d => d.DependsOnTargets, d => d.DependentForTargets).Distinct());
        target.OrderDependencies.AddRange(Resolve(d => d.AfterTargets, d => d.BeforeTargets).Distinct());
        target.TriggerDependencies.AddRange(Resolve(d => d.TriggeredByTargets, d => d.TriggersTargets).Distinct());
        target.Triggers.AddRange(Resolve(d => d.TriggersTargets, d => d.TriggeredByTargets).Distinct());
        foreach (var (factory, patterns) in target.Definition.ConsumedArtifacts)
            target.ArtifactDependencies.Add((Find(all, factory), patterns));

        if (target.AllDependencies.Concat(target.Triggers).Contains(target))
            throw new BuildException($"Target '{target.Name}' cannot depend on itself.");
    }
}
