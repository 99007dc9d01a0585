using System.Text.Json.Nodes;
using Tuneforge.Files;
using Tuneforge.Packaging;
using Tuneforge.Packaging.Provenance;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

/// <summary>The folders of the stages a release is made of, and their cache keys (stage name → key).</summary>
public sealed record ReleaseInputs(string Clean, string Split, string Train, string Evaluate, string Quantize, IReadOnlyDictionary<string, string> StageKeys);

public sealed partial class PipelineStages
{
    BuildProvenance? provenance;

    /// <summary>What made this build (commit, tools, pinned packages): recorded in the manifest, so an input of the archive's bytes.</summary>
    public BuildProvenance Provenance => provenance ??= BuildProvenance.Collect(rootDirectory);

    /// <summary>The release's name, version and description, for Package's key.</summary>
    public string ReleaseIdentity => CanonicalJson.Compact(new JsonObject { ["name"] = Spec.Name, ["version"] = Spec.Version, ["description"] = Spec.Description });

    public StageSummary Package(ReleaseInputs inputs, string outputDirectory)
    {
        var result = ReleaseError(() => ReleasePackager.Build(new ReleaseRequest
        {
            Spec = Spec,
            OutputDirectory = outputDirectory,
            TrainDirectory = inputs.Train,
            CleanStatsPath = Path.Combine(inputs.Clean, "stats.json"),
            SplitStatsPath = Path.Combine(inputs.Split, "split.json"),
            EvaluateDirectory = inputs.Evaluate,
            QuantizeDirectory = inputs.Quantize,
            StageKeys = inputs.StageKeys,
            Tools = Provenance.Tools,
            Packages = Provenance.Packages,
            GitCommit = Provenance.Commit,
            GitDirty = Provenance.Dirty,
            ForbiddenPaths = [rootDirectory, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)],
        }));
        return StageSummary.Of(("archive", Path.GetFileName(result.ArchivePath)), ("sha256", result.Sha256[..12]), ("files", result.Files.Count.ToString()));
    }

    /// <summary>Copies the archive of Package's entry into package.output_directory (also when the entry was reused).</summary>
    public void PublishRelease(string packageDirectory)
    {
        var dist = Path.Combine(rootDirectory, Spec.Package.OutputDirectory);
        Directory.CreateDirectory(dist);
        foreach (var file in Directory.EnumerateFiles(packageDirectory, $"{Spec.Name}-{Spec.Version}.zip*"))
            File.Copy(file, Path.Combine(dist, Path.GetFileName(file)), overwrite: true);
        var archive = Path.Combine(dist, $"{Spec.Name}-{Spec.Version}.zip");
        Log.Information($"Release: {Relative(archive)} (sha256 {File.ReadAllText(archive + ".sha256").Split(' ')[0]}); check it with: tuneforge-engine verify {Relative(archive)}");
    }

    static T ReleaseError<T>(Func<T> action)
    {
        try
        {
            return UserError(action);
        }
        catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException or Tuneforge.Text.ChatTemplateException)
        {
            throw new BuildException(e.Message, e);
        }
    }
}
