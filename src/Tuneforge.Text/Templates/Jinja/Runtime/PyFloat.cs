using System.Globalization;
using System.Text;

namespace Tuneforge.Text.Jinja;

/// <summary>Python's repr of a float: the shortest digits that round-trip, fixed between 1e-4 and 1e16, else 1e+16 style.</summary>
internal static class PyFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // "E16" is not shortest; "R" is, in either fixed or exponent form: take its digits and exponent apart.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        string mantissa = r;
        int exponent = 0;
        int e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = r[..e];
            exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int pointAt = (dot < 0 ? mantissa.Length : dot) + exponent;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        pointAt -= leadingZeros;
        if (digits.Length == 0)
        {
            digits = "0";
        }

        // Python: decimal exponent = pointAt - 1; fixed notation when -4 <= exponent < 16.
        int decimalExponent = pointAt - 1;
        var text = new StringBuilder(value < 0 ? "-" : "");
        if (decimalExponent is >= -4 and < 16)
        {
            if (pointAt <= 0)
            {
                text.Append("0.").Append('0', -pointAt).Append(digits);
            }
            else if (pointAt >= digits.Length)
            {
                text.Append(digits).Append('0', pointAt - digits.Length).Append(".0");
            }
            else
            {
                text.Append(digits, 0, pointAt).Append('.').Append(digits, pointAt, digits.Length - pointAt);
            }
        }
        else
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            text.Append('e').Append(decimalExponent < 0 ? '-' : '+').Append(Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
