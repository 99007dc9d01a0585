using System.Linq.Expressions;

namespace Tuneforge.Targets;

/// <summary>Collects what a target's fluent chain declares; turned into an <see cref="ExecutableTarget"/>.</summary>
internal sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText { get; private set; }
    public List<Func<Task>> Actions { get; } = [];
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<Condition> StaticConditions { get; } = [];
    public List<Condition> DynamicConditions { get; } = [];
    public List<Requirement> Requirements { get; } = [];
    public DependencyBehavior DependencyBehavior { get; private set; } = DependencyBehavior.Execute;
    public bool IsProceedAfterFailure { get; private set; }
    public bool IsAssuredAfterFailure { get; private set; }
    public bool IsUnlisted { get; private set; }
    public List<string> ProducedPatterns { get; } = [];
    public List<(Target Target, string[] Patterns)> ConsumedArtifacts { get; } = [];
    public Func<CacheInputs, CacheInputs>? CacheInputs { get; private set; }
    public List<Action> CheckActions { get; } = [];

    public ITargetDefinition Description(string description) => Set(() => DescriptionText = description);

    public ITargetDefinition Executes(Action action) => Set(() => Actions.Add(() =>
    {
        action();
        return Task.CompletedTask;
    }));

    public ITargetDefinition Executes(Func<Task> action) => Set(() => Actions.Add(action));
    public ITargetDefinition DependsOn(params Target[] targets) => Set(() => DependsOnTargets.AddRange(targets));
    public ITargetDefinition DependentFor(params Target[] targets) => Set(() => DependentForTargets.AddRange(targets));
    public ITargetDefinition After(params Target[] targets) => Set(() => AfterTargets.AddRange(targets));
    public ITargetDefinition Before(params Target[] targets) => Set(() => BeforeTargets.AddRange(targets));
    public ITargetDefinition Triggers(params Target[] targets) => Set(() => TriggersTargets.AddRange(targets));
    public ITargetDefinition TriggeredBy(params Target[] targets) => Set(() => TriggeredByTargets.AddRange(targets));

    public ITargetDefinition OnlyWhenStatic(params Expression<Func<bool>>[] conditions) =>
        Set(() => StaticConditions.AddRange(conditions.Select(Condition.From)));

    public ITargetDefinition OnlyWhenDynamic(params Expression<Func<bool>>[] conditions) =>
        Set(() => DynamicConditions.AddRange(conditions.Select(Condition.From)));

    public ITargetDefinition Requires<T>(params Expression<Func<T?>>[] parameters) where T : class =>
        Set(() => Requirements.AddRange(parameters.Select(Requirement.ForParameter)));

    public ITargetDefinition Requires(params Expression<Func<bool>>[] conditions) =>
        Set(() => Requirements.AddRange(conditions.Select(Requirement.ForCondition)));

    public ITargetDefinition WhenSkipped(DependencyBehavior behavior) => Set(() => DependencyBehavior = behavior);
    public ITargetDefinition ProceedAfterFailure() => Set(() => IsProceedAfterFailure = true);
    public ITargetDefinition AssuredAfterFailure() => Set(() => IsAssuredAfterFailure = true);
    public ITargetDefinition Unlisted() => Set(() => IsUnlisted = true);
    public ITargetDefinition Produces(params string[] patterns) => Set(() => ProducedPatterns.AddRange(patterns));
    public ITargetDefinition Consumes(Target target, params string[] patterns) => Set(() => ConsumedArtifacts.Add((target, patterns)));
    public ITargetDefinition Cached(Func<CacheInputs, CacheInputs> inputs) => Set(() => CacheInputs = inputs);
    public ITargetDefinition Checks(Action check) => Set(() => CheckActions.Add(check));

    ITargetDefinition Set(Action change)
    {
        change();
        return this;
    }
}
