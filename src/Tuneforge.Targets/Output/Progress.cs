using Spectre.Console;

namespace Tuneforge.Targets;

/// <summary>Progress of a long stage: a live bar in an interactive terminal, plain log lines (at most one
/// every few seconds) when output is redirected or CI=true, so logs stay readable.</summary>
public interface IProgress : IDisposable
{
    void Report(double value, string? status = null);
}

public static class Progress
{
    /// <summary>True when a live display can be drawn: a terminal, not CI, not redirected.</summary>
    public static bool IsInteractive =>
        !Console.IsOutputRedirected && !NukeBuild.IsServerBuild && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");

    public static IProgress Start(string name, double total) =>
        IsInteractive && Log.Console == Console.Out ? new LiveProgress(name, total) : new PlainProgress(name, total);

    sealed class PlainProgress(string name, double total) : IProgress
    {
        static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
        DateTime lastLine = DateTime.MinValue;
        string? lastStatus;

        public void Report(double value, string? status = null)
        {
            lastStatus = status;
            if (DateTime.UtcNow - lastLine < Interval && value < total) return;
            lastLine = DateTime.UtcNow;
            Log.Information(status is null ? $"{name}: {value:0.#}/{total:0.#}" : $"{name}: {status}");
        }

        public void Dispose()
        {
            if (lastStatus is not null) Log.Debug($"{name}: done  {lastStatus}");
        }
    }

    sealed class LiveProgress : IProgress
    {
        readonly TaskCompletionSource done = new();
        readonly Task rendering;
        ProgressTask? task;

        public LiveProgress(string name, double total)
        {
            var ready = new TaskCompletionSource();
            rendering = Task.Run(() => AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    task = context.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1e-9));
                    ready.SetResult();
                    await done.Task;
                }));
            ready.Task.Wait(TimeSpan.FromSeconds(5));
            Log.LiveDisplayActive = true;
        }

        public void Report(double value, string? status = null)
        {
            if (task is null) return;
            task.Value = value;
            if (status is not null) task.Description = Markup.Escape(status);
        }

        public void Dispose()
        {
            done.TrySetResult();
            rendering.Wait(TimeSpan.FromSeconds(5));
            Log.LiveDisplayActive = false;
        }
    }
}
