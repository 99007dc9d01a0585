namespace Tuneforge.Targets;

public abstract partial class NukeBuild
{
    /// <summary>The output folder of a cached target: its working folder while it runs, its cache entry afterwards.
    /// For a target that did not run in this build, the entry of its current inputs, if one exists.</summary>
    public AbsolutePath Output(Target target)
    {
        var executable = Resolve(target);
        if (Outputs.TryGetValue(executable, out var directory)) return new AbsolutePath(directory);
        var key = KeyOf(executable);
        var entry = Cache!.EntryDirectory(key);
        if (ArtifactCache.IsValidEntry(entry)) return new AbsolutePath(entry);
        throw new BuildException($"{executable.Name} has no result for its current inputs (key {key.Short}); run it: ./build.sh {executable.Name}");
    }

    /// <summary>The cache key of a cached target, computed from its declared inputs (it need not have run).</summary>
    public CacheKey KeyOf(Target target) => KeyOf(Resolve(target));

    internal CacheKey KeyOf(ExecutableTarget target)
    {
        if (Keys.TryGetValue(target, out var known)) return known;
        if (target.Definition.CacheInputs is not { } declare)
            throw new BuildException($"{target.Name} is not a cached target, so it has no key.");
        var inputs = declare(new CacheInputs());
        var key = CacheKey.Compute(target.Name, inputs, RootDirectory, Hashes!, upstream => KeyOf(Resolve(upstream)).Hash);
        Keys[target] = key;
        return key;
    }

    internal ExecutableTarget Resolve(Target target) => ExecutableTargetFactory.Find(ExecutableTargets, target);
}
