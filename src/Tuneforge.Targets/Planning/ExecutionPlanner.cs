namespace Tuneforge.Targets;

/// <summary>Given the invoked targets, orders the targets to run: execution dependencies are scheduled,
/// After/Before only order, triggers add their targets; cycles fail with their members.</summary>
public static class ExecutionPlanner
{
    public static IReadOnlyList<ExecutableTarget> Plan(IReadOnlyList<ExecutableTarget> targets, IReadOnlyList<string>? invokedNames)
    {
        var invoked = invokedNames is { Count: > 0 }
            ? invokedNames.Select(n => Find(n, targets)).Distinct().ToList()
            : targets.Where(t => t.IsDefault).ToList();
        if (invoked.Count == 0)
            throw new BuildException("No target was given and the build has no default target. Available targets are:\n" + ListTargets(targets));
        foreach (var target in invoked) target.Invoked = true;

        ReportCycles(targets);
        // Triggered targets join the invoked ones until the plan stops growing.
        List<ExecutableTarget> plan;
        while (true)
        {
            plan = PlanOnce(targets, invoked);
            var triggered = plan.SelectMany(t => t.Triggers).Except(plan).ToList();
            if (triggered.Count == 0) break;
            invoked = [.. invoked, .. triggered];
        }
        foreach (var target in plan) target.Status = ExecutionStatus.Scheduled;
        return plan;
    }

    public static ExecutableTarget Find(string name, IReadOnlyList<ExecutableTarget> targets)
    {
        var normalized = Normalize(name);
        return targets.SingleOrDefault(t => Normalize(t.Name) == normalized)
               ?? throw new BuildException($"Target '{name}' does not exist. Available targets are:\n{ListTargets(targets)}");
    }

    static string Normalize(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();

    static string ListTargets(IReadOnlyList<ExecutableTarget> targets) =>
        string.Join("\n", targets.Where(t => t.Listed).Select(t => $"  - {t.Name}").Order(StringComparer.Ordinal));

    // Schedules the invoked targets and their execution dependencies, then orders them (Kahn's algorithm over every
    // kind of dependency), preferring the targets needed by the earliest invoked one, then declaration order.
    static List<ExecutableTarget> PlanOnce(IReadOnlyList<ExecutableTarget> targets, IReadOnlyList<ExecutableTarget> invoked)
    {
        var rank = new Dictionary<ExecutableTarget, int>();
        for (var i = 0; i < invoked.Count; i++)
            foreach (var target in ExecutionClosure(invoked[i]))
                rank.TryAdd(target, i);
        var scheduled = rank.Keys.ToHashSet();
        var pending = scheduled.ToDictionary(t => t, t => t.AllDependencies.Count(scheduled.Contains));
        var order = new List<ExecutableTarget>();
        while (pending.Count > 0)
        {
            var next = pending.Where(p => p.Value == 0).Select(p => p.Key)
                .OrderBy(t => rank[t]).ThenBy(t => t.DeclarationOrder).First();
            pending.Remove(next);
            order.Add(next);
            foreach (var dependent in pending.Keys.Where(t => t.AllDependencies.Contains(next)).ToList()) pending[dependent]--;
        }
        return order;
    }

    static IEnumerable<ExecutableTarget> ExecutionClosure(ExecutableTarget target)
    {
        var seen = new HashSet<ExecutableTarget>();
        var stack = new Stack<ExecutableTarget>([target]);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (!seen.Add(current)) continue;
            yield return current;
            foreach (var dependency in current.ExecutionDependencies) stack.Push(dependency);
        }
    }

    static void ReportCycles(IReadOnlyList<ExecutableTarget> targets)
    {
        var cycles = StronglyConnected(targets).Where(c => c.Count > 1).ToList();
        if (cycles.Count == 0) return;
        var lines = cycles.Select(c => " - " + string.Join(", ", c.OrderBy(t => t.DeclarationOrder).Select(t => t.Name)));
        throw new BuildException("Circular dependencies between targets:\n" + string.Join("\n", lines));
    }

    // Tarjan's algorithm over every kind of dependency.
    static List<List<ExecutableTarget>> StronglyConnected(IReadOnlyList<ExecutableTarget> targets)
    {
        var index = 0;
        var indices = new Dictionary<ExecutableTarget, int>();
        var lowLinks = new Dictionary<ExecutableTarget, int>();
        var stack = new Stack<ExecutableTarget>();
        var onStack = new HashSet<ExecutableTarget>();
        var result = new List<List<ExecutableTarget>>();

        void Visit(ExecutableTarget v)
        {
            indices[v] = lowLinks[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in v.AllDependencies)
            {
                if (!indices.ContainsKey(w))
                {
                    Visit(w);
                    lowLinks[v] = Math.Min(lowLinks[v], lowLinks[w]);
                }
                else if (onStack.Contains(w))
                    lowLinks[v] = Math.Min(lowLinks[v], indices[w]);
            }
            if (lowLinks[v] != indices[v]) return;
            var component = new List<ExecutableTarget>();
            ExecutableTarget member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            } while (member != v);
            result.Add(component);
        }

        foreach (var target in targets)
            if (!indices.ContainsKey(target)) Visit(target);
        return result;
    }
}
