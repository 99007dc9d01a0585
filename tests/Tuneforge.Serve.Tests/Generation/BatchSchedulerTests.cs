using System.Collections.Concurrent;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.Generation;

public class BatchSchedulerTests
{
    private static GenerationJob Job(CancellationToken cancellation = default) =>
        new(new PreparedPrompt([1], false), new SamplingSettings { MaxTokens = 1 }, cancellation);

    [Fact]
    public async Task Jobs_arriving_within_the_window_run_as_one_batch_up_to_the_maximum()
    {
        var batches = new ConcurrentQueue<int>();
        using var scheduler = new BatchScheduler(jobs =>
        {
            batches.Enqueue(jobs.Count);
            foreach (var job in jobs) job.Append("x");
        }, maxBatch: 4, window: TimeSpan.FromMilliseconds(300));
        var jobs = Enumerable.Range(0, 6).Select(_ => Job()).ToList();
        foreach (var job in jobs) scheduler.Submit(job);
        await Task.WhenAll(jobs.Select(j => j.Completion));
        Assert.Equal([4, 2], batches);
    }

    [Fact]
    public async Task Jobs_cancelled_while_waiting_are_dropped_without_running()
    {
        var ran = 0;
        using var gate = new ManualResetEventSlim();
        using var scheduler = new BatchScheduler(jobs =>
        {
            gate.Wait();
            foreach (var job in jobs)
            {
                Interlocked.Increment(ref ran);
                job.Append("x");
            }
        }, maxBatch: 1, window: TimeSpan.Zero);
        var first = Job();
        scheduler.Submit(first);
        using var cancel = new CancellationTokenSource();
        var waiting = Job(cancel.Token);
        scheduler.Submit(waiting);
        await Poll.Until(() => scheduler.Waiting == 1);
        cancel.Cancel();
        gate.Set();
        Assert.Equal(GenerationFinish.Cancelled, (await waiting.Completion).Finish);
        await first.Completion;
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task A_runner_that_throws_fails_its_batch_and_the_next_batch_still_runs()
    {
        var calls = 0;
        using var scheduler = new BatchScheduler(jobs =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("native error");
            foreach (var job in jobs) job.Append("x");
        }, maxBatch: 1, window: TimeSpan.Zero);
        var failing = Job();
        scheduler.Submit(failing);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Completion);
        var next = Job();
        scheduler.Submit(next);
        Assert.Equal("x", (await next.Completion).Text);
    }
}
