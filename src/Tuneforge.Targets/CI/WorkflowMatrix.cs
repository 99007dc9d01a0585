using System.Text.RegularExpressions;

namespace Tuneforge.Targets;

/// <summary>One job per file of a folder (<c>pipelines/*.yaml</c>): the matrix values are the file names without the
/// pattern's prefix and suffix (<c>default</c>), and each job passes <c>pipelines/default.yaml</c> to the parameter.</summary>
public sealed partial record WorkflowMatrix(string FilePattern, string Folder, string Prefix, string Suffix, ParameterMember Parameter, IReadOnlyList<string> Values)
{
    /// <summary>The matrix key and dispatch input: the parameter's --dashed name.</summary>
    public string Dimension => ParameterMember.Dashed(Parameter.MemberName);

    /// <summary>The value of the parameter's environment variable in a job.</summary>
    public string FileExpression => $"{Folder}/{Prefix}${{{{ matrix.{Dimension} }}}}{Suffix}";

    internal static WorkflowMatrix? Resolve(GitHubActionsAttribute attribute, ConfigurationContext context, Func<string, BuildException> error)
    {
        if (attribute.MatrixFiles is null && attribute.MatrixParameter is null) return null;
        if (attribute.MatrixFiles is not { } pattern || attribute.MatrixParameter is not { } parameterName)
            throw error("MatrixFiles and MatrixParameter go together.");
        var slash = pattern.LastIndexOf('/');
        var folder = slash < 0 ? "." : pattern[..slash];
        var filePattern = pattern[(slash + 1)..];
        var star = filePattern.IndexOf('*');
        if (folder.IndexOfAny(['*', '?', '[']) >= 0 || star < 0 || filePattern.IndexOf('*', star + 1) >= 0 || filePattern.Contains('?'))
            throw error($"MatrixFiles '{pattern}' must be a folder and a file pattern with one '*', e.g. 'pipelines/*.yaml'.");
        var (prefix, suffix) = (filePattern[..star], filePattern[(star + 1)..]);
        var parameter = context.Parameter(attribute.Name, "MatrixParameter", parameterName);
        var directory = Path.Combine(context.RootDirectory, folder);
        var values = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, filePattern).Select(Path.GetFileName).OfType<string>()
                .Where(f => f.StartsWith(prefix, StringComparison.Ordinal) && f.EndsWith(suffix, StringComparison.Ordinal))
                .Select(f => f[prefix.Length..^suffix.Length]).Order(StringComparer.Ordinal).ToList()
            : [];
        if (values.Count == 0) throw error($"MatrixFiles '{pattern}' matches no file under {context.RootDirectory}.");
        if (values.FirstOrDefault(v => !Value().IsMatch(v) || v == "all") is { } bad)
            throw error($"'{folder}/{prefix}{bad}{suffix}' cannot be a matrix value: use letters, digits, '.', '-' or '_' in the file name (and not 'all').");
        return new WorkflowMatrix(pattern, folder, prefix, suffix, parameter, values);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Value();
}
