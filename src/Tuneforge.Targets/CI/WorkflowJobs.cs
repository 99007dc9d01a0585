namespace Tuneforge.Targets;

/// <summary>The jobs of a generated workflow: the build job (checkout, SDK, caches, one step per invocation, uploads)
/// and, with release assets, a release job that checksums them and attaches them to the tag's GitHub release.</summary>
public static class WorkflowJobs
{
    const string StoreRestoreId = "restore-artifact-cache";
    const string StoreEntries = "'.nuke/cache/*/*/" + CacheEntryInfo.FileName + "'";

    public static YamlMapping Build(WorkflowSpec spec, YamlNode runsOn)
    {
        var attribute = spec.Attribute;
        var job = new YamlMapping
        {
            ["name"] = attribute.JobName ?? (runsOn is YamlSequence labels ? string.Join(", ", labels.Items.Cast<YamlScalar>().Select(l => l.Value)) : ((YamlScalar)runsOn).Value),
            ["runs-on"] = runsOn,
        };
        if (attribute.TimeoutMinutes > 0) job["timeout-minutes"] = attribute.TimeoutMinutes;
        if (spec.Matrix is { } matrix)
            job["strategy"] = new YamlMapping { ["fail-fast"] = false, ["matrix"] = new YamlMapping { [matrix.Dimension] = MatrixValues(spec, matrix) } };
        var environment = new YamlMapping();
        foreach (var (name, value) in spec.Environment) environment[name] = value;
        if (spec.Matrix is { } m) environment[m.Parameter.MemberName] = m.FileExpression;
        if (environment.Entries.Count > 0) job["env"] = environment;

        var steps = new List<YamlNode> { Checkout(attribute) };
        if (spec.SetupDotNet)
            steps.Add(Step("Set up .NET (global.json)", PinnedActions.SetupDotNet, new YamlMapping { ["global-json-file"] = "global.json" }));
        if (attribute.CacheIncludePatterns.Length > 0) steps.Add(PackageCache(spec));
        if (attribute.ArtifactCacheKeyFiles.Length > 0) steps.Add(StoreRestore(spec));
        var windows = spec.IsWindows(runsOn);
        foreach (var invocation in spec.Invocations) steps.Add(Run(spec, invocation, windows));
        foreach (var (target, patterns) in spec.Produced)
            steps.Add(Upload($"Publish: {target}", ArtifactName(spec, target.ToLowerInvariant()), patterns, attribute.PublishCondition, "warn"));
        if (spec.ReleaseAssets.Count > 0)
            steps.Add(Upload("Publish: release assets", ArtifactName(spec, "release-assets"), spec.ReleaseAssets, null, "error"));
        if (attribute.ArtifactCacheKeyFiles.Length > 0) steps.Add(StoreSave(spec));
        job["steps"] = new YamlSequence(steps);
        return job;
    }

    public static YamlMapping Release(IReadOnlyList<string> needs) => new()
    {
        ["name"] = "GitHub release",
        ["needs"] = new YamlSequence(needs.Select(n => (YamlNode)n).ToList(), Flow: true),
        ["if"] = "startsWith(github.ref, 'refs/tags/')",
        ["runs-on"] = "ubuntu-latest",
        ["timeout-minutes"] = 15,
        ["permissions"] = new YamlMapping { ["contents"] = "write" },
        ["steps"] = new YamlSequence(
        [
            Step("Download: release assets", PinnedActions.DownloadArtifact,
                new YamlMapping { ["pattern"] = "release-assets*", ["path"] = "release", ["merge-multiple"] = true }),
            new YamlMapping
            {
                ["name"] = "Checksums: SHA256SUMS",
                ["working-directory"] = "release",
                // C collation: the same order of lines on every runner.
                ["run"] = "export LC_ALL=C\nsha256sum -- * > SHA256SUMS\ncat SHA256SUMS\n",
            },
            new YamlMapping
            {
                ["name"] = "Release: attach the assets and SHA256SUMS",
                ["working-directory"] = "release",
                ["env"] = new YamlMapping { ["GH_TOKEN"] = "${{ github.token }}", ["GH_REPO"] = "${{ github.repository }}", ["TAG"] = "${{ github.ref_name }}" },
                // A re-run finds the release made by the first attempt and replaces its files.
                ["run"] = "gh release view \"$TAG\" > /dev/null 2>&1 || gh release create \"$TAG\" --verify-tag --title \"$TAG\" --generate-notes\n" +
                          "gh release upload \"$TAG\" --clobber -- *\n",
            },
        ]),
    };

    // A manual run picks one value or all; other events run them all.
    static YamlNode MatrixValues(WorkflowSpec spec, WorkflowMatrix matrix)
    {
        if (!spec.Attribute.On.Contains(GitHubActionsTrigger.WorkflowDispatch))
            return new YamlSequence(matrix.Values.Select(v => (YamlNode)v).ToList(), Flow: true);
        var all = "[" + string.Join(",", matrix.Values.Select(v => $"\"{v}\"")) + "]";
        var input = $"inputs.{matrix.Dimension}";
        return $"${{{{ fromJSON({input} && {input} != 'all' && format('[\"{{0}}\"]', {input}) || '{all}') }}}}";
    }

    static YamlMapping Checkout(GitHubActionsAttribute attribute)
    {
        var with = new YamlMapping();
        if (attribute.FetchDepth >= 0) with["fetch-depth"] = attribute.FetchDepth;
        if (attribute.Lfs) with["lfs"] = true;
        return Step("Checkout", PinnedActions.Checkout, with.Entries.Count > 0 ? with : null);
    }

    static YamlMapping PackageCache(WorkflowSpec spec)
    {
        var attribute = spec.Attribute;
        var paths = attribute.CacheIncludePatterns.Concat(attribute.CacheExcludePatterns.Select(p => "!" + p)).ToList();
        var prefix = $"${{{{ runner.os }}}}-packages{EnvironmentScope(spec)}-";
        return Step($"Cache: {string.Join(", ", attribute.CacheIncludePatterns)}", PinnedActions.Cache, new YamlMapping
        {
            ["path"] = Lines(paths),
            ["key"] = prefix + HashFiles(attribute.CacheKeyFiles),
            ["restore-keys"] = prefix,
        });
    }

    // Restored from the newest store of the same inputs, else the newest of any: the store's own keys decide what is reused.
    static YamlMapping StoreRestore(WorkflowSpec spec)
    {
        var inputs = $"{StoreScope(spec)}-{HashFiles(spec.Attribute.ArtifactCacheKeyFiles)}";
        return Step("Restore cache: .nuke/cache", PinnedActions.CacheRestore, new YamlMapping
        {
            ["path"] = ".nuke/cache",
            ["key"] = inputs,
            ["restore-keys"] = $"{inputs}-\n{StoreScope(spec)}-\n",
        }, id: StoreRestoreId);
    }

    // Saved also after a failed step (entries are committed atomically), and only when the store gained or replaced entries.
    static YamlMapping StoreSave(WorkflowSpec spec)
    {
        var entries = $"hashFiles({StoreEntries})";
        return Step("Save cache: .nuke/cache", PinnedActions.CacheSave, new YamlMapping
        {
            ["path"] = ".nuke/cache",
            ["key"] = $"{StoreScope(spec)}-{HashFiles(spec.Attribute.ArtifactCacheKeyFiles)}-${{{{ {entries} }}}}",
        }, condition: $"always() && {entries} != '' && !endsWith(steps.{StoreRestoreId}.outputs.cache-matched-key, {entries})");
    }

    static string StoreScope(WorkflowSpec spec) =>
        $"${{{{ runner.os }}}}-nuke-cache{EnvironmentScope(spec)}" + (spec.Matrix is { } m ? $"-${{{{ matrix.{m.Dimension} }}}}" : "");

    // Jobs with other environment variables (TorchBackend=cuda) restore other packages and compute other results.
    static string EnvironmentScope(WorkflowSpec spec) => string.Concat(spec.Environment.Select(e => "-" + GitHubActionsWorkflow.Slug($"{e.Name}-{e.Value}")));

    static YamlMapping Run(WorkflowSpec spec, IReadOnlyList<string> targets, bool windows)
    {
        var step = new YamlMapping
        {
            ["name"] = $"Run: {string.Join(", ", targets)}",
            ["run"] = $"{(windows ? "./build.cmd" : "./build.sh")} {string.Join(" ", targets)}",
        };
        var environment = new YamlMapping();
        foreach (var secret in spec.Attribute.ImportSecrets) environment[secret] = $"${{{{ secrets.{GitHubActionsWorkflow.SecretName(secret)} }}}}";
        if (spec.Attribute.EnableGitHubToken) environment["GITHUB_TOKEN"] = "${{ secrets.GITHUB_TOKEN }}";
        foreach (var (parameter, _) in spec.DispatchInputs) environment[parameter.MemberName] = $"${{{{ inputs.{parameter.MemberName} }}}}";
        if (environment.Entries.Count > 0) step["env"] = environment;
        return step;
    }

    static YamlMapping Upload(string name, string artifact, IReadOnlyList<string> patterns, string? condition, string ifNoFilesFound) =>
        Step(name, PinnedActions.UploadArtifact,
            new YamlMapping { ["name"] = artifact, ["path"] = Lines(patterns), ["if-no-files-found"] = ifNoFilesFound }, condition: condition);

    static string ArtifactName(WorkflowSpec spec, string name) =>
        spec.Matrix is { } m ? $"{name}-${{{{ matrix.{m.Dimension} }}}}" : name;

    static YamlMapping Step(string name, PinnedAction action, YamlMapping? with, string? id = null, string? condition = null) => new YamlMapping()
        .Add("name", name)
        .Add("id", id)
        .Add("if", condition)
        .Add("uses", new YamlScalar(action.Uses) { Comment = action.Release })
        .Add("with", with);

    static string HashFiles(IEnumerable<string> patterns) => $"${{{{ hashFiles({string.Join(", ", patterns.Select(p => $"'{p}'"))}) }}}}";

    static string Lines(IReadOnlyList<string> values) => values.Count == 1 ? values[0] : string.Join("\n", values) + "\n";
}
