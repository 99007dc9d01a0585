using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Files;
using Tuneforge.Pipeline.Model;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Worker;

/// <summary>
/// The <c>prepare-train</c> verb's work for <c>train.engine: torch</c>: everything the PyTorch worker needs so that it
/// tokenizes nothing and decides nothing the native engine decides: worker.json (<see cref="WorkerSettings"/>), each
/// rank's micro-batches (<see cref="WorkerBatchFile"/>), the chat template to store with the weights, the step-0 adapter drawn by the native initialization (so
/// both engines start from the same weights), and a preset's base weights saved as a Hugging Face folder.
/// </summary>
public static class WorkerPreparation
{
    /// <param name="baseDirectory">Where a preset's base folder goes (a shared folder for several nodes); default &lt;out&gt;/worker/base.</param>
    public static async Task<PreparedWorker> RunAsync(EngineJob job, string outputDirectory, Action<EngineEvent> emit, string? baseDirectory = null,
        CancellationToken cancellation = default)
    {
        var setup = await TrainingSetup.LoadAsync(job, emit, cancellation);
        var spec = setup.Spec;
        if (spec.Method == Pipeline.Spec.TrainMethod.Qlora)
            throw new EngineException("train.method: qlora is not supported by train.engine: torch", "Use method lora or full with the torch engine, or engine: native.");
        var options = TrainOptions.Resolve(spec, setup.ModelSpec, CPU);
        if (options.Lora is { ModulesToSave.Count: > 0 })
            throw new EngineException("train.lora.modules_to_save is not supported by train.engine: torch yet", "Remove it, or train with engine: native.");
        var outputs = new TrainOutputs(Path.GetFullPath(outputDirectory));
        var folder = outputs.WorkerDirectory;
        Directory.CreateDirectory(folder);

        var plan = WorkerPlan.Create(setup.Train, setup.Val, spec, spec.Distributed.WorldSize);
        var location = setup.Location;
        var baseModel = location.Directory ?? WritePreset(location.Preset!, setup.ModelSpec.PresetSeed, location.TokenizerDirectory,
            Path.GetFullPath(baseDirectory ?? Path.Combine(folder, WorkerFolder.BaseModel)), emit);
        var config = location.Preset?.Config ?? ModelConfig.Load(Path.Combine(baseModel, PretrainedModel.ConfigFileName));
        var origin = TrainingRun.Origin(location);
        var (trainable, total) = InitialWeights(config, options, spec.Seed, origin, folder);
        ChatTemplateText.Write(folder, setup.Chat.TemplateText);

        for (var rank = 0; rank < plan.WorldSize; rank++)
        {
            cancellation.ThrowIfCancellationRequested();
            WorkerBatchFile.Write(Path.Combine(folder, WorkerFolder.TrainBatches(rank)),
                plan.TrainBatches(rank).Select(b => (b.Step, b.MicroBatch, CollatedRows.Collate(b.Rows, setup.Train))));
            WorkerBatchFile.Write(Path.Combine(folder, WorkerFolder.EvalBatches(rank)),
                plan.EvalBatches(rank).Select((rows, i) => (0, i, CollatedRows.Collate(rows, setup.Val))));
        }
        // A base inside the inputs is named relative to them, so the folder can be copied whole (to shared storage, a node).
        var baseReference = baseModel.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? Path.GetRelativePath(folder, baseModel) : baseModel;
        var settings = WorkerSettings.Build(setup, options, plan, origin, baseReference,
            ComputeOptions.HfName(TrainingRun.FullModelDType(location)), trainable, total);
        WriteJson(Path.Combine(folder, WorkerFolder.SettingsFile), settings);
        WriteJson(outputs.ArgsPath, Args(job, setup, settings, baseModel));
        emit(new LogEvent($"prepared {plan.Global.TotalSteps} steps for {plan.WorldSize} process(es) ({spec.PerDeviceTrainBatchSize} × {spec.GradientAccumulationSteps} examples each per step) in {folder}"));
        emit(new ArtifactEvent(folder, "worker_inputs"));
        return new PreparedWorker(folder, baseModel, plan.WorldSize, plan.Global.TotalSteps, setup.TrainSummary.Examples, setup.ValSummary.Examples);
    }

    private static string WritePreset(ModelPreset preset, long seed, string tokenizerDirectory, string directory, Action<EngineEvent> emit)
    {
        // Rewritten on every preparation: the same seed gives the same bytes, and a half-written folder cannot survive.
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        PresetWriter.Write(preset, seed, directory, tokenizerDirectory, ScalarType.Float32);
        emit(new LogEvent($"wrote preset:{preset.Name} (seed {seed}) as a Hugging Face folder for the worker: {directory}"));
        return directory;
    }

    // The adapter at step 0 as the native engine draws it, on a skeleton of the model that holds no weights.
    private static (long Trainable, long Total) InitialWeights(ModelConfig config, TrainOptions options, long seed, AdapterOrigin origin, string folder)
    {
        using var skeleton = new CausalLM(config, META, ScalarType.Float32);
        var total = skeleton.ParameterCount();
        if (!options.UsesAdapters) return (total, total);
        LoraInjector.Apply(skeleton, options.Lora!, dropout: null, seed, adapterDevice: CPU);
        var adapter = Path.Combine(folder, WorkerFolder.InitialAdapter);
        if (Directory.Exists(adapter)) Directory.Delete(adapter, recursive: true);
        PeftAdapter.Save(skeleton, options.Lora!, origin, adapter);
        var trainable = PeftAdapter.Tensors(skeleton, options.Lora!).Values.Sum(t => t.numel());
        return (trainable, total + trainable);
    }

    private static JsonObject Args(EngineJob job, TrainingSetup setup, JsonObject settings, string baseModel) => new()
    {
        ["engine_version"] = TrainStage.WorkerSalt,
        ["fingerprint"] = setup.Fingerprint,
        ["model"] = JsonNode.Parse(SpecJson.Canonical(job.Model)),
        ["train"] = JsonNode.Parse(SpecJson.Canonical(job.Train)),
        ["resolved"] = new JsonObject
        {
            ["model_directory"] = baseModel,
            ["tokenizer_directory"] = setup.Location.TokenizerDirectory,
            ["compute_dtype"] = settings["compute_dtype"]!.DeepClone(),
            ["distributed"] = settings["distributed"]!.DeepClone(),
            ["lora"] = settings["lora"]?.DeepClone(),
            ["total_steps"] = settings["result"]!["total_steps"]!.DeepClone(),
            ["train_examples"] = setup.TrainSummary.Examples,
            ["val_examples"] = setup.ValSummary.Examples,
        },
        ["inputs"] = new JsonObject(job.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => KeyValuePair.Create(i.Key, (JsonNode?)i.Value))),
    };

    private static void WriteJson(string path, JsonObject json) =>
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
