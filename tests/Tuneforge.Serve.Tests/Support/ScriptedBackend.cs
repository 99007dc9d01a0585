using System.Collections.Concurrent;
using System.Text;
using Tuneforge.Serve.Generation;
using Tuneforge.Text;

namespace Tuneforge.Serve.Tests.Support;

/// <summary>
/// A deterministic model for the HTTP tests: the prompt is the chat template's text, one id per character; the reply is
/// chosen by <c>reply</c> from the last user message (by default R1's shape: reasoning, <c>&lt;/think&gt;</c>, answer) and comes out three characters per token, then an end-of-sequence.
/// It runs behind the real <see cref="BatchScheduler"/>, so batching, queueing and cancellation are the server's own.
/// </summary>
internal sealed class ScriptedBackend : IGenerationBackend
{
    private readonly IChatTemplate _template;
    private readonly Func<string, string> _reply;
    private readonly TimeSpan _stepDelay;
    private readonly BatchScheduler _scheduler;

    public ScriptedBackend(BatchOptions batching, Func<string, string>? reply = null, TimeSpan stepDelay = default, string template = "deepseek-r1",
        int contextLength = 4096, SamplingDefaults? defaults = null)
    {
        _template = ChatTemplates.Get(template);
        _reply = reply ?? (question => $"The user asks: {question}\n</think>\n\nAnswer to {question}.");
        _stepDelay = stepDelay;
        Info = new BackendInfo("scripted", "test-model", contextLength, _template.Name, "scripted test backend");
        Defaults = defaults ?? SamplingDefaults.OpenAi;
        _scheduler = new BatchScheduler(Run, batching.MaxBatchSize, batching.Window, batching.OnBatch);
    }

    public BackendInfo Info { get; }
    public SamplingDefaults Defaults { get; }
    public int Waiting => _scheduler.Waiting;

    /// <summary>Every batch the scheduler ran, by size.</summary>
    public ConcurrentQueue<int> Batches { get; } = new();

    /// <summary>The settings of every job submitted.</summary>
    public ConcurrentQueue<SamplingSettings> Submitted { get; } = new();

    /// <summary>Jobs the backend dropped because their request was cancelled.</summary>
    public int Abandoned => _abandoned;
    private int _abandoned;

    public PreparedPrompt Prepare(IReadOnlyList<ChatMessage> messages)
    {
        var text = _template.RenderPromptText(messages);
        return new PreparedPrompt(text.EnumerateRunes().Select(r => r.Value).ToArray(), PromptText.OpensThink(text));
    }

    public void Submit(GenerationJob job)
    {
        Submitted.Enqueue(job.Sampling);
        _scheduler.Submit(job);
    }

    /// <summary>The reply a prompt gets, in the tokens the backend emits.</summary>
    public IReadOnlyList<string> TokensFor(string question) => Tokens(_reply(question));

    private void Run(IReadOnlyList<GenerationJob> jobs)
    {
        Batches.Enqueue(jobs.Count);
        var replies = jobs.Select(j => Tokens(_reply(LastQuestion(j.Prompt)))).ToArray();
        foreach (var job in jobs) job.MarkStarted();
        for (var step = 0; !jobs.All(j => j.IsFinished); step++)
        {
            if (_stepDelay > TimeSpan.Zero) Thread.Sleep(_stepDelay);
            for (var row = 0; row < jobs.Count; row++)
            {
                var job = jobs[row];
                if (job.IsFinished) continue;
                if (job.Cancellation.IsCancellationRequested)
                {
                    job.Abandon();
                    Interlocked.Increment(ref _abandoned);
                    continue;
                }
                if (step < replies[row].Count) job.Append(replies[row][step]);
                else job.EndOfSequence();
            }
        }
    }

    private static IReadOnlyList<string> Tokens(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        var tokens = new List<string>();
        for (var i = 0; i < runes.Length; i += 3) tokens.Add(string.Concat(runes.Skip(i).Take(3).Select(r => r.ToString())));
        return tokens;
    }

    // The user's text is what follows the last user marker of the rendered prompt.
    private string LastQuestion(PreparedPrompt prompt)
    {
        var text = new StringBuilder();
        foreach (var id in prompt.Ids) text.Append(new Rune(id).ToString());
        var rendered = text.ToString();
        var marker = _template.Name == "deepseek-r1" ? "<｜User｜>" : "<|im_start|>user\n";
        var start = rendered.LastIndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var end = _template.Name == "deepseek-r1" ? rendered.IndexOf("<｜Assistant｜>", start, StringComparison.Ordinal) : rendered.IndexOf("<|im_end|>", start, StringComparison.Ordinal);
        return rendered[start..end];
    }

    public void Dispose() => _scheduler.Dispose();
}
