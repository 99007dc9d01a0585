using Tuneforge.Data.Training;
using System.Diagnostics;
using Tuneforge.Engine.Generation;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Evaluation;

/// <summary>
/// The <c>predict</c> verb's work: the base model and then the tuned one (base + the Train stage's adapter, or its
/// full model) answer the test split; perplexity of the references, and of the forgetting check's general text, is
/// measured for both.
/// </summary>
public static class EvaluationRun
{
    /// <param name="Tokens">The generated ids, a final EOS id included.</param>
    /// <param name="Reasoning">The think block's text (null: the answer has none).</param>
    public sealed record Answer(string Text, IReadOnlyList<int> Tokens, string? Reasoning = null)
    {
        public int CompletionTokens => Tokens.Count;
    }

    /// <param name="General">Perplexity on evaluate.forgetting's general text, per file; null when the check is off.</param>
    public sealed record SystemResult(IReadOnlyList<Answer> Answers, PerplexityMeter.Result? Perplexity, double Seconds, long Tokens,
        PerplexityMeter.Result? General = null);

    /// <param name="GeneralDocuments">Documents of the forgetting check measured (0 when it is off).</param>
    public sealed record Outcome(IReadOnlyList<EvaluationExample> Examples, IReadOnlyList<int> PromptTokens, SystemResult Tuned, SystemResult? Base,
        int GeneralDocuments = 0);

    public static async Task<Outcome> RunAsync(EngineJob job, Action<EngineEvent> emit, CancellationToken cancellation = default)
    {
        var modelSpec = job.Section(job.Model, "model");
        var spec = job.Section(job.Evaluate, "evaluate");
        if (modelSpec.NumThreads > 0) set_num_threads(modelSpec.NumThreads);
        var testFile = job.Input(PredictStage.TestInput);
        var examples = EvaluationExample.ReadFile(testFile, spec.MaxSamples);
        if (examples.Count == 0) throw new EngineException($"{testFile} has no test records", "Give split.test a share > 0 and run Split again.");

        var location = await ModelLocation.ResolveAsync(modelSpec.Source, m => emit(new LogEvent(m)), cancellation);
        var tokenizer = HfTokenizer.Load(location.TokenizerDirectory);
        var chat = ChatSetup.From(modelSpec, tokenizer);
        var prompts = examples.Select(e => (IReadOnlyList<int>)chat.Template.RenderPrompt(chat.WithSystemPrompt(e.Prompt), tokenizer, chat.Options)).ToList();
        var references = new Measured(Encode(examples, tokenizer, chat), GeneralText.Load(spec.Forgetting, job.RepositoryRoot ?? Directory.GetCurrentDirectory(), tokenizer,
            m => emit(new LogEvent(m, "warning"))));
        var generation = Options(spec, tokenizer, chat.Template);
        var compute = ComputeOptions.For(modelSpec);
        var trained = new TrainOutputs(job.Input(PredictStage.TrainOutputInput)).Weights();

        emit(new LogEvent($"{examples.Count} test examples; loading {location.Source} on {compute.Device.type.ToString().ToLowerInvariant()} as {compute.Describe()}"));
        using var model = trained.IsAdapter ? ModelLoader.Load(location, compute, modelSpec.PresetSeed) : null;
        Training.ProcessMemory.ReturnFreedMemory();   // what loading freed does not stay resident while both systems answer
        SystemResult? baseline = null;
        if (spec.CompareBase)
        {
            using var baseModel = model is null ? ModelLoader.Load(location, compute, modelSpec.PresetSeed) : null;
            baseline = AnswerAll("base", model ?? baseModel!, location.Directory, prompts, references, generation, tokenizer, chat, spec, emit, cancellation);
        }
        if (model is not null)
        {
            PeftAdapter.Apply(model, trained.Directory);
            emit(new LogEvent($"applied the adapter {trained.Directory}"));
            return new Outcome(examples, prompts.Select(p => p.Count).ToList(), AnswerAll("tuned", model, location.Directory, prompts, references, generation, tokenizer, chat, spec, emit, cancellation), baseline,
                references.General.Count);
        }
        using var tuned = PretrainedModel.Load(trained.Directory, compute);
        return new Outcome(examples, prompts.Select(p => p.Count).ToList(), AnswerAll("tuned", tuned, trained.Directory, prompts, references, generation, tokenizer, chat, spec, emit, cancellation), baseline,
            references.General.Count);
    }

    // What perplexity is measured on: the test references (by category) and the general text (by file).
    sealed record Measured(IReadOnlyList<(EncodedExample, string)> References, IReadOnlyList<(EncodedExample, string)> General);

    static SystemResult AnswerAll(string system, CausalLM model, string? modelDirectory, IReadOnlyList<IReadOnlyList<int>> prompts, Measured references,
        GenerationOptions options, HfTokenizer tokenizer, ChatSetup chat, EvaluateSpec spec, Action<EngineEvent> emit, CancellationToken cancellation)
    {
        model.eval();
        options = options with { EosTokenIds = StopTokens.Resolve(model.Config, modelDirectory, tokenizer, chat.Template) };
        var generator = new TextGenerator(model, ids => tokenizer.Decode(ids));
        var answers = new Answer[prompts.Count];
        // Longest prompts together: less padding in each batch. Answers go back to their examples' order.
        var order = Enumerable.Range(0, prompts.Count).OrderByDescending(i => prompts[i].Count).ThenBy(i => i).ToList();
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        for (var start = 0; start < order.Count; start += spec.BatchSize)
        {
            var batch = order.Skip(start).Take(spec.BatchSize).ToList();
            var sequences = generator.Generate(batch.Select(i => prompts[i]).ToList(), options, cancellation: cancellation);
            foreach (var sequence in sequences)
            {
                var text = tokenizer.Decode(sequence.Tokens, skipSpecialTokens: true);
                var split = chat.Template.SplitReasoning(text, chat.Options);
                answers[batch[sequence.Index]] = new Answer(split.Answer.Trim(), sequence.Tokens, split.Reasoning);
                tokens += sequence.Tokens.Length;
            }
            emit(new ProgressEvent($"generate {system}", Math.Min(start + spec.BatchSize, order.Count), order.Count, "examples"));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        emit(new LogEvent($"{system}: {tokens} tokens in {seconds:0.0} s ({tokens / Math.Max(seconds, 1e-9):0.0} tokens/s)"));
        var perplexity = spec.Perplexity ? PerplexityMeter.Measure(model, references.References, spec.BatchSize, cancellation) : null;
        if (perplexity is not null) emit(new LogEvent($"{system}: perplexity {perplexity.Overall:0.###} on {perplexity.Tokens} reference tokens"));
        var general = references.General.Count > 0 ? PerplexityMeter.Measure(model, references.General, spec.BatchSize, cancellation) : null;
        if (general is not null) emit(new LogEvent($"{system}: perplexity {general.Overall:0.###} on {general.Tokens} tokens of general text ({references.General.Count} documents)"));
        return new SystemResult(answers, perplexity, seconds, tokens, general);
    }

    static IReadOnlyList<(EncodedExample, string)> Encode(IReadOnlyList<EvaluationExample> examples, HfTokenizer tokenizer, ChatSetup chat)
    {
        var encoder = new ExampleEncoder(tokenizer, chat.Template, chat.Options, chat.SystemPrompt, int.MaxValue);
        var records = examples.Select(e => new TrainingRecord(e.Id, [.. e.Prompt, ChatMessage.Assistant(e.Reference)], e.Location)).ToList();
        var (encoded, _) = encoder.Encode(records);
        var categories = examples.ToDictionary(e => e.Id, e => e.Category);
        return encoded.Select(e => (e, categories[e.Id])).ToList();
    }

    // Stop ids come from the model answering (StopTokens, in AnswerAll): a full fine-tune carries its own config.
    static GenerationOptions Options(EvaluateSpec spec, HfTokenizer tokenizer, IChatTemplate template) => new()
    {
        MaxNewTokens = spec.MaxNewTokens,
        DoSample = spec.DoSample,
        Temperature = spec.Temperature,
        TopP = spec.TopP,
        TopK = spec.TopK,
        RepetitionPenalty = spec.RepetitionPenalty,
        Seed = spec.Seed,
        StopStrings = template.StopStrings,
        PadTokenId = PaddingToken.For(tokenizer),
    };
}
