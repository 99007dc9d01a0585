using System.Text.Json.Nodes;
using Tuneforge.Packaging;
using Tuneforge.Packaging.Provenance;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Targets;

partial class Build
{
    Target Package => _ => _
        .DependsOn(Evaluate, Quantize)
        .Description("The release archive dist/<name>-<version>.zip: adapter, MODEL_CARD.md, report, manifest.json (+ GGUF and Modelfile); byte-identical on re-run")
        .Produces("dist/*.zip")
        .Cached(c => c
            .Upstream(Clean, Split, Train, Evaluate, Quantize)
            .Value("release", ReleaseIdentity)
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("train", TrainKey.Canonical(Spec.Train))
            .Value("package", SpecJson.Canonical(Spec.Package))
            .Value("provenance", ProvenanceText)
            .Salt(PackagingVersion.Current)
            .Publish(ArtifactsDirectory / "package"))
        .Executes(() =>
        {
            var (commit, dirty) = BuildProvenance.Git(RootDirectory);
            var result = ReleaseError(() => ReleasePackager.Build(new ReleaseRequest
            {
                Spec = Spec,
                OutputDirectory = Output(Package),
                AdapterDirectory = Output(Train) / "adapter",
                TrainerStatePath = Output(Train) / "trainer_state.json",
                CleanStatsPath = Output(Clean) / "stats.json",
                SplitStatsPath = Output(Split) / "split.json",
                EvaluateDirectory = Output(Evaluate),
                QuantizeDirectory = Output(Quantize),
                StageKeys = new Dictionary<string, string>
                {
                    ["Clean"] = KeyOf(Clean).Hash,
                    ["Split"] = KeyOf(Split).Hash,
                    ["Train"] = KeyOf(Train).Hash,
                    ["Evaluate"] = KeyOf(Evaluate).Hash,
                    ["Quantize"] = KeyOf(Quantize).Hash,
                },
                Tools = BuildProvenance.Tools(),
                Packages = BuildProvenance.PinnedPackages(RootDirectory / "Directory.Packages.props"),
                GitCommit = commit,
                GitDirty = dirty,
                ForbiddenPaths = [RootDirectory, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)],
            }));
            ReportSummary(("archive", Path.GetFileName(result.ArchivePath)), ("sha256", result.Sha256[..12]), ("files", result.Files.Count.ToString()));
        })
        .Checks(PublishRelease);

    // dist/ is written from the cache entry, also when the entry was reused.
    void PublishRelease()
    {
        var dist = RootDirectory / Spec.Package.OutputDirectory;
        dist.CreateDirectory();
        foreach (var file in Directory.EnumerateFiles(Output(Package), $"{Spec.Name}-{Spec.Version}.zip*"))
            File.Copy(file, dist / Path.GetFileName(file), overwrite: true);
        var archive = dist / $"{Spec.Name}-{Spec.Version}.zip";
        Log.Information($"Release: {archive.RelativeTo(RootDirectory)} (sha256 {File.ReadAllText(archive + ".sha256").Split(' ')[0]}); check it with: tuneforge-engine verify {archive.RelativeTo(RootDirectory)}");
    }

    string ReleaseIdentity => SpecJson.Canonical(new JsonObject { ["name"] = Spec.Name, ["version"] = Spec.Version, ["description"] = Spec.Description });

    // The manifest records the commit and tool versions, so they are inputs of the archive's bytes.
    string ProvenanceText
    {
        get
        {
            var (commit, dirty) = BuildProvenance.Git(RootDirectory);
            var tools = BuildProvenance.Tools();
            var packages = BuildProvenance.PinnedPackages(RootDirectory / "Directory.Packages.props");
            return $"{commit} {dirty} {string.Join(",", tools.Select(t => $"{t.Key}={t.Value}"))} {string.Join(",", packages.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";
        }
    }

    static T ReleaseError<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException)
        {
            throw new BuildException(e.Message, e);
        }
    }
}
