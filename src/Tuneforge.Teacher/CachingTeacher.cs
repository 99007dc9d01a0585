namespace Tuneforge.Teacher;

/// <summary>A teacher with an on-disk answer cache and a spend limit in tokens; cached answers cost nothing.</summary>
public sealed class CachingTeacher(ITeacher inner, TeacherAnswerCache cache, long maxTotalTokens) : ITeacher
{
    private long _spent;
    private long _asked;
    private long _cached;

    public string Identity => inner.Identity;

    /// <summary>Tokens the endpoint reported for answers fetched in this run.</summary>
    public long TokensSpent => Interlocked.Read(ref _spent);

    /// <summary>Requests sent to the endpoint in this run.</summary>
    public long Asked => Interlocked.Read(ref _asked);

    /// <summary>Requests answered from the cache.</summary>
    public long FromCache => Interlocked.Read(ref _cached);

    public async Task<TeacherReply> AskAsync(TeacherRequest request, CancellationToken cancellationToken = default)
    {
        string key = TeacherAnswerCache.KeyOf(Identity, request);
        if (cache.TryGet(key) is { } known)
        {
            Interlocked.Increment(ref _cached);
            return known;
        }

        if (maxTotalTokens > 0 && TokensSpent >= maxTotalTokens)
        {
            throw new TeacherException(
                $"teacher.max_total_tokens: {TokensSpent} tokens spent, the limit is {maxTotalTokens}. The answers so far are cached " +
                "in the run's teacher cache; raise the limit and run again to continue from there.");
        }

        Interlocked.Increment(ref _asked);
        TeacherReply reply = await inner.AskAsync(request, cancellationToken);
        Interlocked.Add(ref _spent, reply.TotalTokens);
        cache.Put(key, reply);
        return reply;
    }
}
