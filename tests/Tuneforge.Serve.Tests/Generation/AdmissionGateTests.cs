using Tuneforge.Serve.Admission;

namespace Tuneforge.Serve.Tests.Generation;

public class AdmissionGateTests
{
    [Fact]
    public void The_gate_admits_up_to_its_capacity_and_a_released_slot_admits_again()
    {
        var gate = new AdmissionGate(2, concurrency: 1, TimeSpan.FromMinutes(5));
        var (first, _) = gate.TryEnter();
        var (second, _) = gate.TryEnter();
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal((null, Refusal.QueueFull), gate.TryEnter());
        first!.Dispose();
        first.Dispose();   // a second release frees nothing more
        Assert.Equal(1, gate.Held);
        Assert.NotNull(gate.TryEnter().Lease);
        Assert.Null(gate.TryEnter().Lease);
    }

    [Fact]
    public void A_request_that_would_wait_past_the_timeout_at_the_recent_pace_is_refused()
    {
        var gate = new AdmissionGate(100, concurrency: 2, TimeSpan.FromSeconds(13));
        gate.TryEnter().Lease!.Release(TimeSpan.FromSeconds(4));   // the pace: 4 s per generation, 2 at a time
        Assert.Equal(4, gate.RetryAfterSeconds);
        var held = Enumerable.Range(0, 4).Select(_ => gate.TryEnter().Lease).ToList();   // rounds 1, 1, 2, 2: 8 s × 1.5 ≤ 13 s
        Assert.All(held, Assert.NotNull);
        Assert.Equal((null, Refusal.WouldTimeOut), gate.TryEnter());                    // round 3: 12 s × 1.5 > 13 s
        held[0]!.Release(null);                                                          // cancelled: no pace update
        Assert.NotNull(gate.TryEnter().Lease);
    }

    [Fact]
    public async Task Many_threads_never_hold_more_than_the_capacity()
    {
        var gate = new AdmissionGate(5, concurrency: 5, TimeSpan.FromMinutes(5));
        var peak = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                using var lease = gate.TryEnter().Lease;
                if (lease is null) continue;
                var held = gate.Held;
                int seen;
                do seen = peak; while (held > seen && Interlocked.CompareExchange(ref peak, held, seen) != seen);
            }
        })));
        Assert.InRange(peak, 1, 5);
        Assert.Equal(0, gate.Held);
        Assert.InRange(gate.RetryAfterSeconds, 1, 600);
    }
}
