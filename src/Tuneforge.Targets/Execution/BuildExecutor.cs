namespace Tuneforge.Targets;

/// <summary>Runs the plan: skips by --skip, static and dynamic conditions and --continue; checks requirements
/// before anything runs; serves cached targets from the store; honours ProceedAfterFailure and AssuredAfterFailure.</summary>
internal sealed class BuildExecutor(NukeBuild build, IReadOnlyCollection<string> previouslySucceeded, Action<string> recordSucceeded)
{
    public async Task<bool> ExecuteAsync()
    {
        var plan = build.ExecutionPlan;
        if (build.Skip is { } skip)
            foreach (var target in plan.Where(t => skip.Length == 0 || skip.Any(s => Same(s, t.Name))))
                MarkSkipped(target, "via --skip");
        foreach (var target in plan.Where(t => t.Status == ExecutionStatus.Scheduled)) CheckConditions(target, target.StaticConditions);
        ValidateRequirements();

        var failed = false;
        var leftByCancellation = false;
        foreach (var target in plan)
        {
            if (failed && !target.AssuredAfterFailure) continue;
            if (build.Cancellation.IsCancellationRequested && !target.AssuredAfterFailure)
            {
                leftByCancellation = true;
                continue;
            }
            var ok = await ExecuteAsync(target);
            if (!ok && !target.ProceedAfterFailure) failed = true;
        }
        foreach (var target in plan.Where(t => t.Status == ExecutionStatus.Scheduled)) target.Status = ExecutionStatus.NotRun;
        // Ctrl-C that ends a target cleanly (a server stopped by its user) is a success unless it left targets unrun.
        return plan.All(t => t.Status is not (ExecutionStatus.Failed or ExecutionStatus.Aborted)) && !leftByCancellation;
    }

    async Task<bool> ExecuteAsync(ExecutableTarget target)
    {
        if (target.Status == ExecutionStatus.Skipped) return true;
        if (previouslySucceeded.Contains(target.Name))
        {
            target.Status = ExecutionStatus.Skipped;
            target.SkipReason = "succeeded in the previous attempt (--continue)";
            return true;
        }
        if (CheckConditions(target, target.DynamicConditions)) return true;
        if (target.Actions.Count == 0 && !target.IsCached && target.Definition.CheckActions.Count == 0)
        {
            target.Status = ExecutionStatus.Collective;
            return true;
        }

        foreach (var line in Log.Host.BeginTarget(target.Name)) Log.Write(line);
        build.CurrentTarget = target;
        target.Status = ExecutionStatus.Running;
        target.Stopwatch.Start();
        try
        {
            if (target.IsCached) await RunCachedAsync(target);
            else await RunActionsAsync(target);
            foreach (var check in target.Definition.CheckActions) check();
            if (target.Status == ExecutionStatus.Running) target.Status = ExecutionStatus.Succeeded;
            recordSucceeded(target.Name);
            return true;
        }
        catch (Exception exception)
        {
            target.Status = ExecutionStatus.Failed;
            ReportFailure(target, exception);
            return false;
        }
        finally
        {
            target.Stopwatch.Stop();
            build.CurrentTarget = null;
            foreach (var line in Log.Host.EndTarget(target.Name)) Log.Write(line);
        }
    }

    async Task RunActionsAsync(ExecutableTarget target)
    {
        foreach (var action in target.Actions)
        {
            build.Cancellation.ThrowIfCancellationRequested();
            await action();
        }
    }

    async Task RunCachedAsync(ExecutableTarget target)
    {
        var key = build.KeyOf(target);
        target.CacheKey = key.Short;
        var inputs = target.Definition.CacheInputs!(new CacheInputs());
        using var lease = build.Cache!.Acquire(key, Log.Information, build.Cancellation);
        var forced = build.NoCache || (build.Force?.Any(f => Same(f, target.Name)) ?? false);
        if (!forced && await CacheHit.FindAsync(lease, build.VerifyCache, build.Remote, build.Cancellation) is { } hit)
        {
            foreach (var (k, v) in hit.Info.Summary) target.SummaryInformation[k] = v;
            if (hit.FromRemote) target.SummaryInformation["from"] = "remote";
            lease.Touch();
            build.Outputs[target] = lease.EntryDirectory;
            Publish(inputs, lease.EntryDirectory);
            target.Status = ExecutionStatus.UpToDate;
            var entry = Path.GetRelativePath(build.RootDirectory, lease.EntryDirectory);
            Log.Information($"Up to date: {key.Target} {key.Short} ({(hit.FromRemote ? $"downloaded from {build.Remote!.Description} into " : "")}{entry})");
            // A remote that lacks an entry computed here before it was configured (or by a read-only build) gets it now.
            if (!hit.FromRemote && build.Remote is { } remote) await remote.UploadAsync(lease, hit.Info, build.Cancellation);
            return;
        }
        var resuming = inputs.IsResumable && Directory.Exists(lease.StagingDirectory);
        build.Outputs[target] = lease.PrepareStaging(inputs.IsResumable);
        if (resuming) Log.Information($"Resuming the interrupted run of {target.Name} in {Path.GetRelativePath(build.RootDirectory, lease.StagingDirectory)}");
        CacheEntryInfo committed;
        try
        {
            await RunActionsAsync(target);
            committed = lease.Commit(target.SummaryInformation);
        }
        catch (Exception e) when (DiskFull.Is(e))
        {
            if (!inputs.IsResumable) lease.DiscardStaging(); // give the space back; a resumable run keeps its checkpoints
            throw DiskFull.Failure(target.Name, e, Path.GetRelativePath(build.RootDirectory, build.CacheDirectory));
        }
        build.Outputs[target] = lease.EntryDirectory;
        Publish(inputs, lease.EntryDirectory);
        if (build.Remote is { } uploadTo) await uploadTo.UploadAsync(lease, committed, build.Cancellation);
    }

    void Publish(CacheInputs inputs, string entry)
    {
        if (inputs.ViewPath is { } view) ArtifactCache.Publish(entry, Path.GetFullPath(view, build.RootDirectory));
    }

    void ReportFailure(ExecutableTarget target, Exception exception)
    {
        exception = exception is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : exception;
        if (exception is OperationCanceledException && build.Cancellation.IsCancellationRequested)
        {
            target.Status = ExecutionStatus.Aborted;
            Log.Error($"Target {target.Name} was cancelled.");
            return;
        }
        var firstLine = exception.Message.Split('\n')[0].Trim();
        if (target.SummaryInformation.Count == 0) target.SummaryInformation[exception is BuildException ? "error" : exception.GetType().Name] = Shorten(firstLine);
        if (exception is BuildException)
        {
            Log.Error($"Target {target.Name} failed: {exception.Message}");
            if (exception.InnerException is { } inner) Log.FileOnly(inner.ToString());
        }
        else
        {
            Log.Error($"Target {target.Name} has thrown {exception.GetType().Name}: {exception.Message}");
            Log.Debug(exception.ToString());
            Log.FileOnly(exception.ToString());
            if (Log.Verbosity < Verbosity.Verbose) Log.Error("The stack trace is in .nuke/temp/build.log (or run with --verbosity verbose).");
        }
    }

    static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    bool CheckConditions(ExecutableTarget target, IReadOnlyList<Condition> conditions)
    {
        var violated = conditions.Where(c => !c.Evaluate()).Select(c => c.Text).ToList();
        if (violated.Count == 0) return false;
        MarkSkipped(target, string.Join(" && ", violated));
        return true;
    }

    // --skip never skips an invoked target; a false condition does. The dependencies and triggers that no other
    // scheduled target needs are skipped too: always for --skip, and with WhenSkipped(Skip) for a condition.
    void MarkSkipped(ExecutableTarget target, string reason)
    {
        var viaParameter = reason == "via --skip";
        if (target.Status != ExecutionStatus.Scheduled || (viaParameter && target.Invoked)) return;
        target.Status = ExecutionStatus.Skipped;
        target.SkipReason ??= reason;
        if (target.Invoked || (!viaParameter && target.DependencyBehavior == DependencyBehavior.Execute)) return;
        Cascade(target);
    }

    void Cascade(ExecutableTarget target)
    {
        bool NeededElsewhere(ExecutableTarget dependency) => build.ExecutionPlan
            .Where(t => t.Status == ExecutionStatus.Scheduled)
            .Any(t => t.ExecutionDependencies.Contains(dependency) || t.Triggers.Contains(dependency));
        foreach (var dependency in target.ExecutionDependencies.Concat(target.Triggers).ToList())
        {
            if (dependency.Invoked || dependency.Status != ExecutionStatus.Scheduled || NeededElsewhere(dependency)) continue;
            dependency.Status = ExecutionStatus.Skipped;
            dependency.SkipReason = $"because of {target.Name}";
            Cascade(dependency);
        }
    }

    void ValidateRequirements()
    {
        var problems = build.ExecutionPlan
            .Where(t => t.Status == ExecutionStatus.Scheduled)
            .SelectMany(t => t.Requirements.Where(r => !r.IsMet()).Select(r => r.ParameterMember is { } member
                ? $"Target '{t.Name}' requires parameter '--{ParameterMember.Dashed(member)}' to be set."
                : $"Target '{t.Name}' requires '{r.Text}'."))
            .ToList();
        if (problems.Count > 0) throw new BuildException(string.Join("\n", problems));
    }

    static bool Same(string name, string targetName) => ArgumentParser.Normalize(name) == ArgumentParser.Normalize(targetName);
}
