using System.Text.RegularExpressions;

namespace Tuneforge.Data.Cleaning.Pii;

/// <summary>Payment card numbers: 13–19 digits (optionally in groups of four), a known issuer prefix (UnionPay,
/// Visa, Mastercard, Amex, JCB, Discover) and a valid Luhn check digit; not when the text calls it an order,
/// tracking or invoice number.</summary>
public static partial class BankCardNumber
{
    public static IEnumerable<(int Start, int Length)> Find(string text)
    {
        for (var match = Candidate().Match(text); match.Success; match = match.NextMatch())
        {
            var digits = Digits(match.ValueSpan);
            if (digits.Length is >= 13 and <= 19 && HasIssuerPrefix(digits) && PassesLuhn(digits) && !NamedAsOtherNumber(text, match.Index))
                yield return (match.Index, match.Length);
        }
    }

    public static bool PassesLuhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt && (d *= 2) > 9) d -= 9;
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    static bool HasIssuerPrefix(string digits)
    {
        var two = int.Parse(digits.AsSpan(0, 2));
        var four = int.Parse(digits.AsSpan(0, 4));
        return digits[0] == '4'                                   // Visa
               || two is >= 51 and <= 55 || four is >= 2221 and <= 2720 // Mastercard
               || (two is 34 or 37 && digits.Length == 15)         // American Express
               || two is 62 or 35 or 65 || four == 6011 || four / 10 is >= 644 and <= 649; // UnionPay, JCB, Discover
    }

    static string Digits(ReadOnlySpan<char> value)
    {
        Span<char> buffer = stackalloc char[value.Length];
        var n = 0;
        foreach (var c in value)
            if (c is >= '0' and <= '9') buffer[n++] = c;
        return new string(buffer[..n]);
    }

    // "订单号 4111..." or "order no. 4111..." is an identifier of the shop's, not someone's card.
    static bool NamedAsOtherNumber(string text, int start)
    {
        var before = text.AsSpan(Math.Max(0, start - 12), Math.Min(12, start));
        return OtherNumberLabel().IsMatch(before);
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?|[0-9]{13,19})(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Candidate();

    [GeneratedRegex(@"订单|单号|运单|快递|物流|发票|工单|编号|order|tracking|invoice|ticket|ref", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OtherNumberLabel();
}
