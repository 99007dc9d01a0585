using System.Globalization;
using System.Text.Json.Nodes;
using Tuneforge.Data;
using Tuneforge.Hub;
using Tuneforge.Hub.Download;
using Tuneforge.Hub.Identity;
using Tuneforge.Hub.Sources;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Protocol;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Stages.Engine;
using Tuneforge.Targets;

partial class Build
{
    Target Train => _ => _
        .DependsOn(Split)
        .Description("LoRA / QLoRA / full fine-tuning on the train split (tuneforge-engine train): adapter/, trainer_state.json")
        .Cached(c => c
            .Upstream(Split)
            .Value("model", SpecJson.Canonical(Spec.Model))
            .Value("train", TrainKey.Canonical(Spec.Train))
            .Value("model_identity", BaseModelIdentity)
            .Salt(EngineVersions.Train)
            .Resumable()
            .Publish(ArtifactsDirectory / "train"))
        .Executes(async () =>
        {
            var job = new EngineJob
            {
                Verb = "train",
                Model = Spec.Model,
                Train = Spec.Train,
                Inputs =
                {
                    ["train"] = Output(Split) / DataStages.TrainFile,
                    ["val"] = Output(Split) / DataStages.ValFile,
                },
                RepositoryRoot = RootDirectory,
            };
            var run = await new EngineClient(RootDirectory).RunAsync(job, Output(Train), cancellation: Cancellation);
            var result = run.Result?.Data ?? throw new BuildException("The engine's train finished without a result event.");
            ReportSummary(("loss", Number(result["loss"], "0.00")), ("eval_loss", Number(result["eval_loss"], "0.00")), ("tokens/s", Number(result["tokens_per_s"], "0")));
        });

    string? baseModelIdentity;

    // What the base model is, cheaply: a preset's name and seed; a Hub repo's resolved commit; a folder's content hash (memoized).
    string BaseModelIdentity => baseModelIdentity ??= IdentifyBaseModel();

    string IdentifyBaseModel()
    {
        try
        {
            var source = ModelSource.Parse(Spec.Model.Source);
            if (source is PresetModelSource preset)
                return ModelIdentity.ForPreset(preset.Name, new JsonObject { ["preset_seed"] = Spec.Model.PresetSeed }).Key;
            using var hub = new HubClient(HubSettings.FromEnvironment());
            var resolver = new ModelResolver(hub, TemporaryDirectory / "model-identity.json");
            return resolver.IdentifyAsync(source, Cancellation).GetAwaiter().GetResult().Key;
        }
        catch (Exception e) when (e is ModelSourceFormatException or HubException or Tuneforge.Hub.Folders.ModelFolderException)
        {
            throw new BuildException($"model.source: {e.Message}", e);
        }
    }

    static string Number(JsonNode? node, string format) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? number.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
