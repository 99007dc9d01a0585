namespace Tuneforge.Metrics.Gates;

/// <summary>Gates that cannot be read; <see cref="Exception.Message"/> lists every problem, one per line.</summary>
public sealed class GateSpecException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
