using System.Security.Cryptography;
using System.Text;
using Tuneforge.Protocol;

namespace Tuneforge.Stages.Distributed;

/// <summary>
/// Where a torch-engine Train runs: in the stage's own output folder, or with <c>shared_dir</c> in a folder there
/// named by the job (so every node sees the inputs, and a rerun of the same job resumes from its checkpoints), with
/// the worker package copied beside it; the outputs are then collected into the stage's folder.
/// </summary>
public static class WorkerDirectories
{
    const string PackageFolder = "worker-package";

    /// <summary>tuneforge-train-&lt;12 hex of the job's SHA-256&gt;: a valid Slurm and Kubernetes name, the same for the same job.</summary>
    public static string Name(EngineJob job) =>
        "tuneforge-train-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(job.ToJson())))[..12];

    public static string Work(string outputDirectory, string? sharedDirectory, string name) =>
        sharedDirectory is null ? outputDirectory : Path.Combine(sharedDirectory, name);

    /// <summary>The folder that holds tuneforge_worker: the repository's, or a copy on shared_dir that the nodes see.</summary>
    public static string Package(string repositoryRoot, string workDirectory, string? sharedDirectory)
    {
        var source = Path.Combine(repositoryRoot, "src", "Tuneforge.Worker");
        if (sharedDirectory is null) return source;
        var copy = Path.Combine(workDirectory, PackageFolder);
        var package = Path.Combine(copy, "tuneforge_worker");
        if (Directory.Exists(package)) Directory.Delete(package, recursive: true);
        Directory.CreateDirectory(package);
        foreach (var file in Directory.GetFiles(Path.Combine(source, "tuneforge_worker"), "*.py"))
            File.Copy(file, Path.Combine(package, Path.GetFileName(file)));
        return copy;
    }

    /// <summary>With shared_dir: moves what the worker wrote into the stage's folder (not the package, not a base
    /// model written for the worker) and removes the shared folder.</summary>
    public static void Collect(string workDirectory, string outputDirectory)
    {
        if (Path.GetFullPath(workDirectory) == Path.GetFullPath(outputDirectory)) return;
        var skipped = new[] { Path.Combine(workDirectory, PackageFolder), Path.Combine(new TrainOutputs(workDirectory).WorkerDirectory, "base") };
        Copy(new DirectoryInfo(workDirectory), outputDirectory, skipped);
        Directory.Delete(workDirectory, recursive: true);
    }

    static void Copy(DirectoryInfo source, string target, string[] skipped)
    {
        Directory.CreateDirectory(target);
        foreach (var file in source.GetFiles()) file.CopyTo(Path.Combine(target, file.Name), overwrite: true);
        foreach (var folder in source.GetDirectories())
            if (!skipped.Contains(folder.FullName)) Copy(folder, Path.Combine(target, folder.Name), skipped);
    }
}
