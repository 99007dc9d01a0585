namespace Tuneforge.Targets;

/// <summary>What a target can do for a run inside GitHub Actions; every call is a no-op elsewhere, so targets need no checks.</summary>
public static class GitHubActions
{
    /// <summary>True when the build runs in GitHub Actions (GITHUB_ACTIONS=true).</summary>
    public static bool IsRunning => Log.Host is GitHubActionsHost;

    /// <summary>Adds markdown to the job's summary page (e.g. the metrics of base vs tuned and the gates, from Evaluate).</summary>
    public static void AppendSummary(string markdown)
    {
        if (Log.Host is GitHubActionsHost host) host.AppendSummary(markdown);
    }
}
