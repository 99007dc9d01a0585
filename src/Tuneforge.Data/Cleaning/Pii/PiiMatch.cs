using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Cleaning.Pii;

/// <summary>A piece of personal data found in a text: where, and what kind.</summary>
public readonly record struct PiiMatch(int Start, int Length, PiiKind Kind)
{
    public int End => Start + Length;

    /// <summary>The typed placeholder that replaces it: [EMAIL], [PHONE], [CN_ID], [BANK_CARD], [IP].</summary>
    public static string Placeholder(PiiKind kind) => kind switch
    {
        PiiKind.Email => "[EMAIL]",
        PiiKind.Phone => "[PHONE]",
        PiiKind.CnId => "[CN_ID]",
        PiiKind.BankCard => "[BANK_CARD]",
        PiiKind.Ip => "[IP]",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
