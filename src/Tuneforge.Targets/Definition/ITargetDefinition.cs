using System.Linq.Expressions;

namespace Tuneforge.Targets;

/// <summary>The fluent definition of a target, as NUKE's: dependencies first, <c>Executes</c> last.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);
    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<Task> action);
    ITargetDefinition DependsOn(params Target[] targets);
    ITargetDefinition DependentFor(params Target[] targets);
    ITargetDefinition After(params Target[] targets);
    ITargetDefinition Before(params Target[] targets);
    ITargetDefinition Triggers(params Target[] targets);
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>Conditions checked before any target runs; the condition's text is the skip reason.</summary>
    ITargetDefinition OnlyWhenStatic(params Expression<Func<bool>>[] conditions);

    /// <summary>Conditions checked right before this target would run.</summary>
    ITargetDefinition OnlyWhenDynamic(params Expression<Func<bool>>[] conditions);

    /// <summary>A parameter that must be set, checked for every scheduled target before anything runs.</summary>
    ITargetDefinition Requires<T>(params Expression<Func<T?>>[] parameters) where T : class;

    /// <summary>A condition that must hold, checked for every scheduled target before anything runs.</summary>
    ITargetDefinition Requires(params Expression<Func<bool>>[] conditions);

    ITargetDefinition WhenSkipped(DependencyBehavior behavior);
    ITargetDefinition ProceedAfterFailure();
    ITargetDefinition AssuredAfterFailure();
    ITargetDefinition Unlisted();

    /// <summary>Files this target produces (globs relative to the root): uploaded as CI artifacts.</summary>
    ITargetDefinition Produces(params string[] patterns);

    /// <summary>Artifacts of another target this one needs (downloaded in CI when jobs are split).</summary>
    ITargetDefinition Consumes(Target target, params string[] patterns);

    /// <summary>Our extension: skip the actions when a cache entry exists for the same inputs.</summary>
    ITargetDefinition Cached(Func<CacheInputs, CacheInputs> inputs);

    /// <summary>Runs after the actions, and also when the cache had the result: checks of a result
    /// (quality gates) that must be re-evaluated without recomputing it.</summary>
    ITargetDefinition Checks(Action check);
}
