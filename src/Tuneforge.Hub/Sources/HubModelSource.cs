using System.Text.RegularExpressions;

namespace Tuneforge.Hub.Sources;

/// <summary>
/// A model repository on the Hugging Face Hub: <c>hf://org/name</c> or <c>hf://org/name@revision</c>, where the
/// revision is a branch, a tag or a 40-character commit hash (default <c>main</c>).
/// </summary>
public sealed partial record HubModelSource : ModelSource
{
    /// <summary>The revision used when none is given.</summary>
    public const string DefaultRevision = "main";

    /// <summary>Creates a Hub source, validating the repository id and the revision like the Hub does.</summary>
    /// <exception cref="ModelSourceFormatException">The id or the revision is malformed.</exception>
    public HubModelSource(string repoId, string revision = DefaultRevision)
    {
        var text = $"{HubScheme}{repoId}@{revision}";
        if (ValidateRepoId(repoId) is { } repoProblem)
            throw new ModelSourceFormatException(text, repoProblem);
        if (ValidateRevision(revision) is { } revisionProblem)
            throw new ModelSourceFormatException(text, revisionProblem);
        RepoId = repoId;
        Revision = CommitPattern().IsMatch(revision) ? revision.ToLowerInvariant() : revision;
    }

    /// <summary>The repository id, <c>org/name</c>.</summary>
    public string RepoId { get; }

    /// <summary>The branch, tag or commit hash as given (a commit hash in lower case).</summary>
    public string Revision { get; }

    /// <summary>True when <see cref="Revision"/> is a full commit hash, which never changes.</summary>
    public bool RevisionIsCommit => IsCommitHash(Revision);

    /// <summary>True for a full 40-character hexadecimal commit hash.</summary>
    public static bool IsCommitHash(string? text) => text is not null && CommitPattern().IsMatch(text);

    internal static HubModelSource ParseBody(string original, string body)
    {
        var at = body.IndexOf('@');
        var repoId = at < 0 ? body : body[..at];
        var revision = at < 0 ? DefaultRevision : body[(at + 1)..];
        if (at >= 0 && revision.Length == 0)
            throw new ModelSourceFormatException(original,
                "the revision after '@' is empty; write hf://org/name@main, a tag, or a 40-character commit hash");
        if (ValidateRepoId(repoId) is { } repoProblem)
            throw new ModelSourceFormatException(original, repoProblem);
        if (ValidateRevision(revision) is { } revisionProblem)
            throw new ModelSourceFormatException(original, revisionProblem);
        return new HubModelSource(repoId, revision);
    }

    // The Hub's own rules (huggingface_hub validate_repo_id): org/name, [A-Za-z0-9_.-], no "--" or "..", <= 96 chars.
    private static string? ValidateRepoId(string repoId)
    {
        var parts = repoId.Split('/');
        if (repoId.Length == 0)
            return "the repository id is missing; write hf://org/name";
        if (parts.Length == 1)
            return $"the repository id '{repoId}' has no organization; write hf://org/name (for example hf://deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B)";
        if (parts.Length > 2)
        {
            var hint = parts.Length >= 4 && parts[2] is "tree" or "blob" or "resolve"
                ? $"; for a revision write hf://{parts[0]}/{parts[1]}@{parts[3]}"
                : "";
            return $"the repository id '{repoId}' has more than one '/'; write hf://org/name{hint}";
        }
        foreach (var part in parts)
        {
            if (part.Length == 0)
                return $"the repository id '{repoId}' has an empty organization or name; write hf://org/name";
            if (!RepoPartPattern().IsMatch(part))
                return $"'{part}' in '{repoId}' may only use letters, digits, '-', '_' and '.', and may not start or end with '-' or '.'";
            if (part.Length > 96)
                return $"'{part[..20]}…' in the repository id is longer than 96 characters";
        }
        if (repoId.Contains("--", StringComparison.Ordinal) || repoId.Contains("..", StringComparison.Ordinal))
            return $"the repository id '{repoId}' may not contain '--' or '..'";
        if (repoId.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            return $"the repository id '{repoId}' may not end with '.git'; write hf://{repoId[..^4]}";
        return null;
    }

    // Git ref-name rules, enough to keep a revision a safe refs/ path and URL segment.
    private static string? ValidateRevision(string revision)
    {
        const string forms = "a branch, a tag or a 40-character commit hash";
        if (revision.Length > 255)
            return $"the revision is longer than 255 characters; use {forms}";
        if (revision.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\' or '@'))
            return $"the revision '{revision}' contains a character git does not allow in a ref (space, ~ ^ : ? * [ \\ @); use {forms}";
        if (revision.StartsWith('/') || revision.EndsWith('/') || revision.Contains("//", StringComparison.Ordinal))
            return $"the revision '{revision}' has an empty path component; use {forms}";
        if (revision.Split('/').Any(part => part.StartsWith('.') || part.EndsWith(".lock", StringComparison.Ordinal) || part.EndsWith('.')))
            return $"the revision '{revision}' has a component starting or ending with '.' or ending with '.lock'; use {forms}";
        if (revision.Contains("..", StringComparison.Ordinal))
            return $"the revision '{revision}' may not contain '..'; use {forms}";
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$")]
    private static partial Regex RepoPartPattern();

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex CommitPattern();

    /// <inheritdoc />
    public override string ToString() => $"{HubScheme}{RepoId}@{Revision}";
}
