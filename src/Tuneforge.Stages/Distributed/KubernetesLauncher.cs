using Tuneforge.Files;
using Tuneforge.Protocol;
using Tuneforge.Stages.Engine;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Distributed;

/// <summary>
/// <c>launcher: kubernetes</c>: applies <see cref="PyTorchJobManifest"/> with kubectl, follows rank 0's events in
/// events.jsonl on shared_dir (which this machine must see at the same path), polls the job's conditions until it
/// succeeds or fails, and deletes it when the build is cancelled. Needs a cluster with the Kubeflow training operator.
/// </summary>
/// <param name="searchPath">Where kubectl is looked for; default PATH.</param>
public sealed class KubernetesLauncher(string? searchPath = null) : IWorkerLauncher
{
    static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>Where the manifest is written (kept with the stage's output: what ran).</summary>
    public static string ManifestPath(WorkerLaunch launch) => Path.Combine(launch.OutputDirectory, "kubernetes", "pytorchjob.yaml");

    public async Task<LaunchOutcome> RunAsync(WorkerLaunch launch, EventStream events, CancellationToken cancellation)
    {
        var manifest = ManifestPath(launch);
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        AtomicFile.WriteAllText(manifest, PyTorchJobManifest.Render(launch));
        var kubectl = Executables.Find("kubectl", searchPath) ?? throw new BuildException(
            $"'kubectl' is not on this machine's PATH: launcher kubernetes applies the PyTorchJob with it.\n  Install kubectl with a kubeconfig for the cluster (KUBECONFIG), or apply {manifest} yourself.");
        var job = $"pytorchjob/{launch.Name}";
        var ns = launch.Distributed.Kubernetes.Namespace;
        var summary = ("pytorchjob", $"{ns}/{launch.Name}");

        await Kubectl(kubectl, ["apply", "-n", ns, "-f", manifest], events, CancellationToken.None);
        Log.Information($"applied {job} in namespace {ns} ({manifest})");
        await using var tail = new EventsFileTail(new Protocol.TrainOutputs(launch.OutputDirectory).EventsPath, events.OnLine);
        try
        {
            while (true)
            {
                await Task.Delay(PollInterval, cancellation);
                var conditions = await Kubectl(kubectl, ["get", job, "-n", ns, "-o", "jsonpath={.status.conditions[?(@.status==\"True\")].type}"], events, cancellation);
                if (conditions.Contains("Succeeded")) return LaunchOutcome.Of(0, summary);
                if (conditions.Contains("Failed")) return LaunchOutcome.Of(1, summary);
            }
        }
        catch (OperationCanceledException)
        {
            Log.Warning($"deleting {job}");
            await Kubectl(kubectl, ["delete", job, "-n", ns, "--wait=false"], events, CancellationToken.None);
            throw;
        }
    }

    static async Task<string> Kubectl(string kubectl, IReadOnlyList<string> arguments, EventStream events, CancellationToken cancellation)
    {
        var output = new List<string>();
        var errors = new List<string>();
        var code = await ProcessRunner.RunAsync(kubectl, arguments, Environment.CurrentDirectory, output.Add, line => { errors.Add(line); events.OnError(line); }, cancellation: cancellation);
        if (code != 0)
            throw new BuildException($"kubectl {string.Join(" ", arguments)} failed (exit {code}): {string.Join(" ", errors.TakeLast(3))}\n  Check the cluster access (KUBECONFIG) and that the Kubeflow training operator (PyTorchJob) is installed.");
        return string.Join("\n", output);
    }
}
