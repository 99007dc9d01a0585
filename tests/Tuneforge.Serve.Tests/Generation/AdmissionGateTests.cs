using Tuneforge.Serve.Admission;

namespace Tuneforge.Serve.Tests.Generation;

public class AdmissionGateTests
{
    [Fact]
    public void The_gate_admits_up_to_its_capacity_and_a_released_slot_admits_again()
    {
        var gate = new AdmissionGate(2);
        var first = gate.TryEnter();
        var second = gate.TryEnter();
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(gate.TryEnter());
        first!.Dispose();
        first.Dispose();   // a second release frees nothing more
        Assert.Equal(1, gate.Held);
        Assert.NotNull(gate.TryEnter());
        Assert.Null(gate.TryEnter());
    }

    [Fact]
    public async Task Many_threads_never_hold_more_than_the_capacity()
    {
        var gate = new AdmissionGate(5);
        var peak = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                using var lease = gate.TryEnter();
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
