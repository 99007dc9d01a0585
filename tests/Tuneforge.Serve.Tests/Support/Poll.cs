namespace Tuneforge.Serve.Tests.Support;

/// <summary>Waits for state another thread sets (a continuation, the scheduler's loop), then asserts it.</summary>
internal static class Poll
{
    public static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
