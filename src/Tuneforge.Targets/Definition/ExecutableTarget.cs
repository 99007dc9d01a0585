using System.Diagnostics;

namespace Tuneforge.Targets;

/// <summary>A target with its dependencies resolved, and its state during one build.</summary>
public sealed class ExecutableTarget
{
    internal ExecutableTarget(string name, Target factory, TargetDefinition definition, bool isDefault, int declarationOrder)
    {
        Name = name;
        Factory = factory;
        Definition = definition;
        IsDefault = isDefault;
        DeclarationOrder = declarationOrder;
    }

    public string Name { get; }
    internal Target Factory { get; }
    internal TargetDefinition Definition { get; }
    public int DeclarationOrder { get; }
    public bool IsDefault { get; }
    public string? Description => Definition.DescriptionText;
    public bool Listed => !Definition.IsUnlisted;
    public bool ProceedAfterFailure => Definition.IsProceedAfterFailure;
    public bool AssuredAfterFailure => Definition.IsAssuredAfterFailure;
    public DependencyBehavior DependencyBehavior => Definition.DependencyBehavior;
    public IReadOnlyList<Func<Task>> Actions => Definition.Actions;
    public IReadOnlyList<Condition> StaticConditions => Definition.StaticConditions;
    public IReadOnlyList<Condition> DynamicConditions => Definition.DynamicConditions;
    public IReadOnlyList<Requirement> Requirements => Definition.Requirements;
    public IReadOnlyList<string> ProducedPatterns => Definition.ProducedPatterns;
    public bool IsCached => Definition.CacheInputs is not null;

    /// <summary>Targets that must run before this one (DependsOn, and others' DependentFor).</summary>
    public List<ExecutableTarget> ExecutionDependencies { get; } = [];

    /// <summary>Targets that run before this one when both are scheduled (After, and others' Before).</summary>
    public List<ExecutableTarget> OrderDependencies { get; } = [];

    /// <summary>Targets that, when they run, schedule this one after them (TriggeredBy, and others' Triggers).</summary>
    public List<ExecutableTarget> TriggerDependencies { get; } = [];

    /// <summary>Targets this one schedules after itself (Triggers, and others' TriggeredBy).</summary>
    public List<ExecutableTarget> Triggers { get; } = [];

    public List<(ExecutableTarget Target, string[] Patterns)> ArtifactDependencies { get; } = [];

    public IEnumerable<ExecutableTarget> AllDependencies => ExecutionDependencies.Concat(OrderDependencies).Concat(TriggerDependencies).Distinct();

    public bool Invoked { get; internal set; }
    public ExecutionStatus Status { get; internal set; } = ExecutionStatus.NotRun;
    public string? SkipReason { get; internal set; }
    public Stopwatch Stopwatch { get; } = new();
    public TimeSpan Duration => Stopwatch.Elapsed;
    public Dictionary<string, string> SummaryInformation { get; } = new(StringComparer.Ordinal);

    /// <summary>The short cache key shown in the summary when the target was cached.</summary>
    public string? CacheKey { get; internal set; }

    public override string ToString() => Name;
}
