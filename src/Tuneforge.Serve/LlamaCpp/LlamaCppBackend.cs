using System.Text;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Tuneforge.Data.Training;
using Tuneforge.Engine.Runtime;
using Tuneforge.Serve.Generation;
using Tuneforge.Text;

namespace Tuneforge.Serve.LlamaCpp;

/// <summary>
/// A GGUF file served by llama.cpp through LLamaSharp (the CPU and edge path). Prompts are rendered with the file's own
/// chat template (<see cref="GgufChatTemplate"/>) by the engine's renderer and tokenized by the file's own vocabulary; requests share one continuously batched context.
/// </summary>
public sealed class LlamaCppBackend : IGenerationBackend
{
    /// <summary>llama.cpp's log reduced to its errors; set before the native library loads (later, its log stays as it was).</summary>
    internal static readonly Lazy<bool> QuietNativeLog = new(() =>
    {
        if (NativeLibraryConfig.LLama.LibraryHasLoaded) return false;
        NativeLibraryConfig.All.WithLogCallback((level, message) =>
        {
            if (level == LLamaLogLevel.Error) Console.Error.Write($"llama.cpp: {message}");
        });
        return true;
    });

    private readonly LLamaWeights _weights;
    private readonly BatchedExecutor _executor;
    private readonly ChatSetup _chat;
    private readonly LlamaCppScheduler _scheduler;

    private LlamaCppBackend(LLamaWeights weights, BatchedExecutor executor, ChatSetup chat, BackendInfo info, LlamaCppScheduler scheduler)
    {
        _weights = weights;
        _executor = executor;
        _chat = chat;
        _scheduler = scheduler;
        Info = info;
    }

    public BackendInfo Info { get; }

    /// <summary>A GGUF file carries no generation_config.json: OpenAI's defaults.</summary>
    public SamplingDefaults Defaults => SamplingDefaults.OpenAi;

    public int Waiting => _scheduler.Waiting;

    public static LlamaCppBackend Load(GgufModelRequest request, BatchOptions batching, Action<string> log)
    {
        var path = Path.GetFullPath(request.Path);
        if (!File.Exists(path)) throw new EngineException($"{path}: GGUF file not found", "--gguf takes a .gguf file (the Quantize stage writes them).");
        _ = QuietNativeLog.Value;
        var threads = request.Threads > 0 ? request.Threads : Environment.ProcessorCount;
        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(new ModelParams(path) { GpuLayerCount = 0, Threads = threads });
        }
        catch (Exception e) when (e is LoadWeightsFailedException or RuntimeError)
        {
            throw new EngineException($"{path}: llama.cpp could not load the file: {e.Message}", "Check that it is a complete GGUF file of a supported architecture (qwen2, qwen3, llama).");
        }
        try
        {
            var chat = GgufChatTemplate.Choose(weights, path, request.ChatTemplate, request.PipelineChat);
            var template = chat.Template;
            var perRequest = Math.Max(64, Math.Min(request.ContextPerRequest ?? Math.Min(weights.ContextSize, 4096), weights.ContextSize));
            var contextParams = new ModelParams(path)
            {
                GpuLayerCount = 0,
                Threads = threads,
                BatchThreads = threads,
                ContextSize = (uint)(perRequest * batching.MaxBatchSize),
                SeqMax = (uint)batching.MaxBatchSize,
                KVUnified = true,
                BatchSize = 512,
                UBatchSize = 512,
            };
            var executor = new BatchedExecutor(weights, contextParams);
            var endOfSequence = EndOfSequenceIds(weights, template);
            var scheduler = new LlamaCppScheduler(executor, endOfSequence, batching.MaxBatchSize, perRequest, batching.OnBatch);
            var info = new BackendInfo("gguf", request.ModelId ?? Path.GetFileNameWithoutExtension(path), perRequest, template.Name,
                $"{path} ({weights.Metadata.GetValueOrDefault("general.architecture", "?")}, {weights.ParameterCount:N0} parameters, {weights.SizeInBytes / 1048576.0:0.0} MiB)");
            log($"loaded {info.Description}; {batching.MaxBatchSize} sequences of up to {perRequest} positions");
            return new LlamaCppBackend(weights, executor, chat, info, scheduler);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    public PreparedPrompt Prepare(IReadOnlyList<ChatMessage> messages)
    {
        var text = _chat.Template.RenderPromptText(_chat.WithSystemPrompt(messages), _chat.Options);
        var ids = _weights.Tokenize(text, add_bos: false, special: true, Encoding.UTF8).Select(t => (int)t).ToArray();
        return new PreparedPrompt(ids, PromptText.OpensThink(text));
    }

    public void Submit(GenerationJob job) => _scheduler.Submit(job);

    public void Dispose()
    {
        _scheduler.Dispose();
        _executor.Dispose();
        _weights.Dispose();
    }

    // End-of-generation tokens of the vocabulary, and the template's stop strings that are single control tokens.
    private static HashSet<int> EndOfSequenceIds(LLamaWeights weights, IChatTemplate template)
    {
        var vocab = weights.Vocab;
        var ids = new HashSet<int>();
        for (var id = 0; id < vocab.Count; id++)
        {
            if (((LLamaToken)id).IsEndOfGeneration(vocab)) ids.Add(id);
        }
        foreach (var stop in template.StopStrings)
        {
            var tokens = weights.Tokenize(stop, add_bos: false, special: true, Encoding.UTF8);
            if (tokens.Length == 1) ids.Add((int)tokens[0]);
        }
        return ids;
    }
}
