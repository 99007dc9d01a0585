using System.Globalization;
using System.Text.Json;
using System.Text;
using Tuneforge.Protocol;

namespace Tuneforge.Stages.Distributed;

/// <summary>
/// The Kubeflow PyTorchJob (kubeflow.org/v1, the training operator) of <c>launcher: kubernetes</c>: a Master and
/// nnodes − 1 Workers, each pod one torchrun agent with nproc_per_node processes, the shared_dir claim mounted at
/// shared_dir, the rendezvous at the Master's service (MASTER_ADDR/MASTER_PORT and RANK are set by the operator).
/// </summary>
public static class PyTorchJobManifest
{
    public static string Render(WorkerLaunch launch)
    {
        var d = launch.Distributed;
        var k = d.Kubernetes;
        var yaml = new StringBuilder();
        yaml.Append("# The Train stage on the PyTorch worker (train.engine: torch, launcher: kubernetes), written by Tuneforge; applied with kubectl.\n");
        yaml.Append("apiVersion: kubeflow.org/v1\n");
        yaml.Append("kind: PyTorchJob\n");
        yaml.Append("metadata:\n");
        yaml.Append($"  name: {launch.Name}\n");
        yaml.Append($"  namespace: {k.Namespace}\n");
        yaml.Append("  labels:\n");
        yaml.Append("    app.kubernetes.io/managed-by: tuneforge\n");
        yaml.Append("spec:\n");
        yaml.Append("  runPolicy:\n");
        yaml.Append("    backoffLimit: 0\n");   // a failed rank fails the job; the build retries, resuming from the last checkpoint
        yaml.Append("    cleanPodPolicy: Running\n");
        yaml.Append($"  nprocPerNode: {Quoted(d.NprocPerNode.ToString(CultureInfo.InvariantCulture))}\n");
        yaml.Append("  pytorchReplicaSpecs:\n");
        Replica(yaml, "Master", 1, launch);
        if (d.Nnodes > 1) Replica(yaml, "Worker", d.Nnodes - 1, launch);
        return yaml.ToString();
    }

    static void Replica(StringBuilder yaml, string role, int replicas, WorkerLaunch launch)
    {
        var d = launch.Distributed;
        var k = d.Kubernetes;
        var torchrun = TorchrunCommand.Arguments(launch, [
            "--nnodes", d.Nnodes.ToString(CultureInfo.InvariantCulture), "--node_rank", "$(RANK)", "--master_addr", "$(MASTER_ADDR)", "--master_port", "$(MASTER_PORT)",
        ], logDirectory: Path.Combine(launch.LogDirectory, "$(RANK)"));
        yaml.Append($"    {role}:\n");
        yaml.Append($"      replicas: {replicas}\n");
        yaml.Append("      restartPolicy: Never\n");
        yaml.Append("      template:\n");
        yaml.Append("        spec:\n");
        if (k.ServiceAccount is { } account) yaml.Append($"          serviceAccountName: {Quoted(account)}\n");
        if (k.NodeSelector.Count > 0)
        {
            yaml.Append("          nodeSelector:\n");
            foreach (var (label, value) in k.NodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal)) yaml.Append($"            {Quoted(label)}: {Quoted(value)}\n");
        }
        yaml.Append("          containers:\n");
        yaml.Append("            - name: pytorch\n");   // the container name the operator expects
        yaml.Append($"              image: {Quoted(k.Image ?? "")}\n");
        yaml.Append($"              command: [{string.Join(", ", new[] { d.Python }.Concat(torchrun).Select(Quoted))}]\n");
        yaml.Append("              env:\n");
        foreach (var (name, value) in TorchrunCommand.Environment(launch))
            yaml.Append($"                - {{name: {name}, value: {Quoted(value)}}}\n");
        if (k.GpusPerNode > 0)
        {
            yaml.Append("              resources:\n");
            yaml.Append($"                limits: {{nvidia.com/gpu: {k.GpusPerNode}}}\n");
        }
        yaml.Append("              volumeMounts:\n");
        yaml.Append($"                - {{name: shared, mountPath: {Quoted(d.SharedDir ?? "")}}}\n");
        yaml.Append("          volumes:\n");
        yaml.Append($"            - {{name: shared, persistentVolumeClaim: {{claimName: {Quoted(k.VolumeClaim ?? "")}}}}}\n");
    }

    // A JSON string is a YAML scalar in flow and block context alike: no quoting rule of YAML's own to get wrong.
    static string Quoted(string value) => JsonSerializer.Serialize(value, Json);

    static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
