using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Protocol;

/// <summary>
/// The train section as the Train cache key and a run's resume fingerprint see it: everything that changes the
/// result. Of <c>train.distributed</c> only how the work is split counts (strategy, world size, backend) and the
/// worker's version; the launcher, nodes × processes as opposed to their product, scheduler and cluster settings, the
/// interpreter and the paths decide where it runs, not what it computes. With the native engine neither <c>engine</c> nor
/// <c>distributed</c> appears, so native keys stay what they were before the torch engine existed.
/// </summary>
public static class TrainKey
{
    public static string Canonical(TrainSpec spec)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(spec, SpecJson.Options)!;
        node.Remove("distributed");
        if (spec.Engine == TrainEngine.Native) node.Remove("engine");
        else node["distributed"] = ResultDefining(spec.Distributed);
        return CanonicalJson.Compact(node);
    }

    private static JsonObject ResultDefining(DistributedSpec distributed) => new()
    {
        ["strategy"] = SpecModel.EnumName(distributed.Strategy),
        ["world_size"] = distributed.WorldSize,
        ["backend"] = SpecModel.EnumName(distributed.Backend),
        ["worker"] = TrainStage.WorkerSalt,
    };
}
