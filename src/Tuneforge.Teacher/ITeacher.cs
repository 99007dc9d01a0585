namespace Tuneforge.Teacher;

/// <summary>A model that answers chat requests: Reason, Augment and an LLM judge ask through this.</summary>
public interface ITeacher
{
    /// <summary>What the answers depend on besides the request (endpoint, model, sampling; never the key): part of every cache key.</summary>
    string Identity { get; }

    /// <exception cref="TeacherException">The teacher cannot answer; the message says why and what to do.</exception>
    Task<TeacherReply> AskAsync(TeacherRequest request, CancellationToken cancellationToken = default);
}
