using System.Text.Json.Nodes;
using Tuneforge.Data;
using Tuneforge.Hub;
using Tuneforge.Hub.Download;
using Tuneforge.Hub.Folders;
using Tuneforge.Hub.Identity;
using Tuneforge.Hub.Sources;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    public async Task<StageSummary> Train(string splitDirectory, string outputDirectory)
    {
        var job = TrainStage.Job(Spec.Model, Spec.Train, Path.Combine(splitDirectory, DataStages.TrainFile), Path.Combine(splitDirectory, DataStages.ValFile), rootDirectory);
        var (run, launch) = Spec.Train.Engine == TrainEngine.Torch
            ? await TrainOnTorch(job, outputDirectory)
            : (await Engine.RunAsync(job, outputDirectory, cancellation: cancellation), []);
        var result = UserError(() => StageResult.Read<TrainResult>(run.Result, TrainStage.Verb));
        return StageSummary.Of([("loss", Number(result.Loss, "0.00")), ("eval_loss", Number(result.EvalLoss, "0.00")), ("tokens/s", Number(result.TokensPerS, "0")),
            ("peak", Peak(result.PeakRssBytes)), .. launch]);
    }

    string? baseModelIdentity;

    /// <summary>What the base model is, cheaply: a preset's name and seed; a Hub repo's resolved commit; a folder's
    /// content hash (memoized in <paramref name="temporaryDirectory"/>).</summary>
    public string BaseModelIdentity(string temporaryDirectory) => baseModelIdentity ??= IdentifyBaseModel(temporaryDirectory);

    string IdentifyBaseModel(string temporaryDirectory)
    {
        try
        {
            var source = ModelSource.Parse(Spec.Model.Source);
            if (source is PresetModelSource preset)
                return ModelIdentity.ForPreset(preset.Name, new JsonObject { ["preset_seed"] = Spec.Model.PresetSeed }).Key;
            using var hub = new HubClient(HubSettings.FromEnvironment());
            var resolver = new ModelResolver(hub, Path.Combine(temporaryDirectory, "model-identity.json"));
            return resolver.IdentifyAsync(source, cancellation).GetAwaiter().GetResult().Key;
        }
        catch (Exception e) when (e is ModelSourceFormatException or HubException or ModelFolderException)
        {
            throw new BuildException($"model.source: {e.Message}", e);
        }
    }
}
