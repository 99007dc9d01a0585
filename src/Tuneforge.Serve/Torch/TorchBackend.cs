using Tuneforge.Data.Training;
using Tuneforge.Engine.Generation;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Merging;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Quantization;
using Tuneforge.Engine.Runtime;
using Tuneforge.Serve.Generation;
using Tuneforge.Text;

namespace Tuneforge.Serve.Torch;

/// <summary>
/// The engine's TorchSharp model behind the API: a base model with a LoRA adapter folded in (or applied as layers on a
/// quantized base), a merged folder, or int8/int4 weights. Requests are batched by a <see cref="BatchScheduler"/>.
/// </summary>
public sealed class TorchBackend : IGenerationBackend
{
    private readonly CausalLM _model;
    private readonly HfTokenizer _tokenizer;
    private readonly ChatSetup _chat;
    private readonly BatchScheduler _scheduler;

    private TorchBackend(CausalLM model, HfTokenizer tokenizer, ChatSetup chat, BackendInfo info, SamplingDefaults defaults,
        IReadOnlySet<int> endOfSequence, int padId, BatchOptions batching)
    {
        _model = model;
        _tokenizer = tokenizer;
        _chat = chat;
        Info = info;
        Defaults = defaults;
        var runner = new TorchBatchRunner(model, ids => tokenizer.Decode(ids, skipSpecialTokens: true), endOfSequence, padId);
        _scheduler = new BatchScheduler(runner.Run, batching.MaxBatchSize, batching.Window, batching.OnBatch);
    }

    public BackendInfo Info { get; }

    public SamplingDefaults Defaults { get; }

    public int Waiting => _scheduler.Waiting;

    /// <summary>Loads the model, its tokenizer and chat template; errors the user can fix are <see cref="EngineException"/>s.</summary>
    public static async Task<TorchBackend> LoadAsync(TorchModelRequest request, BatchOptions batching, Action<string> log, CancellationToken cancellation = default)
    {
        var location = await ModelLocation.ResolveAsync(request.Model, log, cancellation).ConfigureAwait(false);
        if (request.Adapter is { } adapter && !Directory.Exists(adapter))
            throw new EngineException($"{Path.GetFullPath(adapter)}: adapter folder not found", "--adapter takes a PEFT adapter folder (adapter_config.json, adapter_model.safetensors).");
        var tokenizer = HfTokenizer.Load(location.TokenizerDirectory);
        var chat = ServedTemplate.Choose(request.Pipeline, request.ChatTemplate, request.Adapter, location.Directory, tokenizer);
        var template = chat.Template;
        var quantized = location.Directory is { } folder && QuantizedModel.IsQuantized(folder);
        log($"loading {location.Source}{(quantized ? " (quantized)" : "")} on {request.Compute.Device.type.ToString().ToLowerInvariant()} as {request.Compute.Describe()}");
        var model = quantized ? QuantizedModel.Load(location.Directory!, request.Compute) : ModelLoader.Load(location, request.Compute, request.PresetSeed);
        try
        {
            if (request.Adapter is not null) ApplyAdapter(model, request.Adapter, quantized, log);
            var generation = GenerationConfigFile.Defaults(location);
            var endOfSequence = StopTokens.Resolve(model.Config, location.Directory, tokenizer, template).ToHashSet();
            var defaults = new SamplingDefaults(generation.DoSample ? generation.Temperature : 0, generation.TopP, generation.TopK, generation.RepetitionPenalty);
            var info = new BackendInfo("torch", request.ModelId ?? ModelName(location, request.Adapter), model.Config.MaxPositionEmbeddings, template.Name,
                $"{location.Source}{(request.Adapter is null ? "" : $" + adapter {request.Adapter}")}{(quantized ? " (quantized)" : "")}, {model.Config.Architecture}, {model.ParameterCount():N0} parameters");
            return new TorchBackend(model, tokenizer, chat, info, defaults, endOfSequence, PaddingToken.For(tokenizer), batching);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public PreparedPrompt Prepare(IReadOnlyList<ChatMessage> messages)
    {
        var prompt = _chat.WithSystemPrompt(messages);
        var text = _chat.Template.RenderPromptText(prompt, _chat.Options);
        return new PreparedPrompt(_chat.Template.RenderPrompt(prompt, _tokenizer, _chat.Options), PromptText.OpensThink(text));
    }

    public void Submit(GenerationJob job) => _scheduler.Submit(job);

    public void Dispose()
    {
        _scheduler.Dispose();
        _model.Dispose();
    }

    // A plain base gets the adapter folded into its weights (no extra work per token); a quantized base keeps LoRA layers.
    private static void ApplyAdapter(CausalLM model, string adapter, bool quantized, Action<string> log)
    {
        if (quantized)
        {
            try
            {
                PeftAdapter.Apply(model, adapter);
            }
            catch (InvalidOperationException e)
            {
                throw new EngineException($"{adapter}: cannot apply the adapter to this quantized model: {e.Message}",
                    "Merge the adapter into the base before quantizing (the Quantize stage does), or serve the unquantized base with --adapter.");
            }
            log($"applied adapter {adapter} as LoRA layers over the quantized weights");
            return;
        }
        using var files = LoraAdapterFiles.Read(adapter);
        var changed = AdapterMerger.Merge(model, files);
        log($"merged adapter {adapter} into {changed} weights (r={files.Rank}, alpha={files.Settings.Alpha})");
    }

    private static string ModelName(ModelLocation location, string? adapter)
    {
        var name = location.Preset?.Name ?? Path.GetFileName(location.Directory!.TrimEnd(Path.DirectorySeparatorChar));
        return adapter is null ? name : $"{name}+{Path.GetFileName(Path.GetFullPath(adapter).TrimEnd(Path.DirectorySeparatorChar))}";
    }
}
