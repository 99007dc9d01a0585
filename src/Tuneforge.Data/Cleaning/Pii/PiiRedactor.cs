using System.Text;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Cleaning.Pii;

/// <summary>Finds personal data of the chosen kinds and replaces each with its typed placeholder. Where two
/// findings overlap, the more specific kind wins: e-mail, resident ID, bank card, IP, then phone.</summary>
public sealed class PiiRedactor(IEnumerable<PiiKind> kinds)
{
    static readonly PiiKind[] Priority = [PiiKind.Email, PiiKind.CnId, PiiKind.BankCard, PiiKind.Ip, PiiKind.Phone];
    readonly PiiKind[] enabled = [.. Priority.Where(kinds.Contains)];

    public List<PiiMatch> Find(string text)
    {
        var found = new List<PiiMatch>();
        foreach (var kind in enabled)
            foreach (var (start, length) in Detect(kind, text))
            {
                var match = new PiiMatch(start, length, kind);
                if (!found.Any(f => f.Start < match.End && match.Start < f.End)) found.Add(match);
            }
        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        return found;
    }

    /// <summary>The text with every finding replaced; <paramref name="counts"/> is incremented per kind.</summary>
    public string Redact(string text, Dictionary<PiiKind, int>? counts = null)
    {
        // Every detector needs a digit or an '@'; most texts have neither worth checking.
        if (text.AsSpan().IndexOfAnyInRange('0', '9') < 0 && !text.Contains('@')) return text;
        var found = Find(text);
        if (found.Count == 0) return text;
        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var match in found)
        {
            builder.Append(text, position, match.Start - position).Append(PiiMatch.Placeholder(match.Kind));
            position = match.End;
            if (counts is not null) counts[match.Kind] = counts.GetValueOrDefault(match.Kind) + 1;
        }
        return builder.Append(text, position, text.Length - position).ToString();
    }

    static IEnumerable<(int Start, int Length)> Detect(PiiKind kind, string text) => kind switch
    {
        PiiKind.Email => EmailAddress.Find(text),
        PiiKind.CnId => ChineseIdNumber.Find(text),
        PiiKind.BankCard => BankCardNumber.Find(text),
        PiiKind.Ip => IpAddress.Find(text),
        PiiKind.Phone => PhoneNumber.Find(text),
        _ => [],
    };
}
