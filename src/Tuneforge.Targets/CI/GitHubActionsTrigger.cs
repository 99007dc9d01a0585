namespace Tuneforge.Targets;

/// <summary>Events that start a workflow (NUKE's names); their filters are properties of <see cref="GitHubActionsAttribute"/>.</summary>
public enum GitHubActionsTrigger
{
    Push,
    PullRequest,
    WorkflowDispatch,
    Schedule,
}

/// <summary>Scopes of the job's GITHUB_TOKEN; every workflow starts from <c>contents: read</c>.</summary>
public enum GitHubActionsPermissions
{
    Actions,
    Checks,
    Contents,
    Deployments,
    IdToken,
    Issues,
    Packages,
    Pages,
    PullRequests,
    Statuses,
}
