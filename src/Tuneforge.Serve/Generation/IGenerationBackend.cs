using Tuneforge.Text;

namespace Tuneforge.Serve.Generation;

/// <summary>
/// A loaded model that generates for many requests at once. The HTTP layer prepares a prompt, submits a
/// <see cref="GenerationJob"/> and reads its text as it comes; the backend's scheduler decides how jobs share the model.
/// </summary>
public interface IGenerationBackend : IDisposable
{
    BackendInfo Info { get; }

    /// <summary>Sampling settings for what a request leaves out (the model's generation_config.json).</summary>
    SamplingDefaults Defaults { get; }

    /// <summary>Jobs submitted and not yet generating (the queue depth).</summary>
    int Waiting { get; }

    /// <summary>Renders and tokenizes a conversation; throws <see cref="ChatTemplateException"/> for one the template refuses.</summary>
    PreparedPrompt Prepare(IReadOnlyList<ChatMessage> messages);

    /// <summary>Queues a job; the backend reports through the job and never throws for a job's own failure.</summary>
    void Submit(GenerationJob job);
}
