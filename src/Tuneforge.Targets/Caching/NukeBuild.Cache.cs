namespace Tuneforge.Targets;

public abstract partial class NukeBuild
{
    [Parameter("Hashes every file of a cache entry before using it (otherwise sizes and modification times are checked).")]
    public bool VerifyCache { get; internal set; }

    [Parameter("A cache shared between machines: s3://bucket/prefix, http(s)://host/path (Bazel-style /cas/ and /ac/) or file:///path.")]
    public string? CacheRemote { get; internal set; }

    [Parameter("What the build does with --cache-remote: read, read-write (the default) or off.")]
    public CacheRemoteMode CacheRemoteMode { get; internal set; } = CacheRemoteMode.ReadWrite;

    [Parameter("The S3 endpoint of an s3:// remote that is not AWS (Swift, MinIO, Ceph), e.g. http://127.0.0.1:8080.")]
    public string? CacheRemoteEndpoint { get; internal set; }

    [Parameter("The S3 region of an s3:// remote. Default: AWS_REGION, else us-east-1.")]
    public string? CacheRemoteRegion { get; internal set; }

    [Parameter("Path-style S3 addresses (endpoint/bucket/key). Default: on with --cache-remote-endpoint, off for AWS.")]
    public bool? CacheRemotePathStyle { get; internal set; }

    [Parameter("aws-chunked S3 uploads (AWSSDK's default). Default: off, which every S3 store accepts (Swift rejects chunked).")]
    public bool CacheRemoteChunkedEncoding { get; internal set; }

    internal RemoteCache? Remote;

    /// <summary>The output folder of a cached target: its working folder while it runs, its cache entry afterwards.
    /// For a target that did not run in this build, the entry of its current inputs, if one exists and is intact.</summary>
    public AbsolutePath Output(Target target)
    {
        var executable = Resolve(target);
        if (Outputs.TryGetValue(executable, out var directory)) return new AbsolutePath(directory);
        var key = KeyOf(executable);
        var entry = Cache!.EntryDirectory(key);
        var rerun = $"run it: ./build.sh {executable.Name}";
        if (!ArtifactCache.IsValidEntry(entry)) throw new BuildException($"{executable.Name} has no result for its current inputs (key {key.Short}); {rerun}");
        var (_, check) = CacheLease.Inspect(entry, VerifyCache);
        if (!check.IsIntact) throw new BuildException($"The cache entry of {executable.Name} ({key.Short}) is damaged: {CacheLease.Describe(check.Problems)}; {rerun}");
        Outputs[executable] = entry; // checked once per build
        return new AbsolutePath(entry);
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
