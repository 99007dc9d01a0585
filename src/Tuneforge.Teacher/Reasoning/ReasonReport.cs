namespace Tuneforge.Teacher.Reasoning;

/// <summary>What Reason did (reason_report.json): acceptance overall and per category, samples asked, tokens spent.</summary>
/// <param name="Records">Train records read.</param>
/// <param name="HadReasoning">Records whose answer had reasoning already (kept as they are, the teacher not asked).</param>
/// <param name="Accepted">Records that got an accepted trace from the teacher.</param>
/// <param name="Samples">Teacher samples read (asked now or from the answer cache).</param>
/// <param name="TokensSpent">Prompt + completion tokens the endpoint reported for answers asked in this run.</param>
/// <param name="FromCache">Samples answered from the teacher cache (a resumed run).</param>
/// <param name="PerCategory">The records asked about and accepted, per category.</param>
public sealed record ReasonReport(
    int Records,
    int HadReasoning,
    int Accepted,
    int Samples,
    long TokensSpent,
    long FromCache,
    IReadOnlyDictionary<string, CategoryAcceptance> PerCategory)
{
    /// <summary>Accepted over the records the teacher was asked about.</summary>
    public double AcceptanceRate => Records - HadReasoning == 0 ? 0 : Accepted / (double)(Records - HadReasoning);
}

/// <summary>One category's records asked about and accepted.</summary>
public sealed record CategoryAcceptance(int Records, int Accepted)
{
    public double Rate => Records == 0 ? 0 : Accepted / (double)Records;
}
