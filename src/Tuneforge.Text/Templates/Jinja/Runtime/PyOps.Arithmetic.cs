namespace Tuneforge.Text.Jinja;

/// <summary>Python's arithmetic: ints stay ints (booleans count as ints), / is true division, // and % floor.</summary>
internal static partial class PyOps
{
    public static object? Binary(string op, object? a, object? b)
    {
        if (a is Undefined ua)
        {
            throw ua.Error();
        }

        if (b is Undefined ub)
        {
            throw ub.Error();
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return a is double || b is double ? FloatOp(op, ToDouble(a), ToDouble(b)) : IntOp(op, ToLong(a), ToLong(b));
        }

        switch (op, a, b)
        {
            case ("+", string x, string y):
                return x + y;
            case ("+", ListValue x, ListValue y) when x.IsTuple == y.IsTuple:
                return new ListValue([.. x, .. y], x.IsTuple);
            case ("*", string s, _) when b is long or bool:
                return string.Concat(Enumerable.Repeat(s, (int)Math.Max(0, ToLong(b))));
            case ("*", _, string s) when a is long or bool:
                return string.Concat(Enumerable.Repeat(s, (int)Math.Max(0, ToLong(a))));
            case ("*", ListValue list, _) when b is long or bool:
                return new ListValue(Enumerable.Repeat(list, (int)Math.Max(0, ToLong(b))).SelectMany(x => x).ToArray(), list.IsTuple);
            case ("+", string, _):
                throw JinjaRuntimeException.Type($"can only concatenate str (not \"{TypeName(b)}\") to str");
            case ("+", ListValue, _):
                throw JinjaRuntimeException.Type($"can only concatenate {TypeName(a)} (not \"{TypeName(b)}\") to {TypeName(a)}");
            default:
                throw JinjaRuntimeException.Type($"unsupported operand type(s) for {op}: '{TypeName(a)}' and '{TypeName(b)}'");
        }
    }

    public static object? Negate(object? value, string op) => value switch
    {
        Undefined u => throw u.Error(),
        double d => op == "-" ? -d : d,
        long or bool => (object)(op == "-" ? checked(-ToLong(value)) : ToLong(value)),
        _ => throw JinjaRuntimeException.Type($"bad operand type for unary {op}: '{TypeName(value)}'"),
    };

    private static object IntOp(string op, long a, long b)
    {
        try
        {
            // Each arm is boxed on its own: a switch over long and double arms would make every result a double.
            return op switch
            {
                "+" => (object)checked(a + b),
                "-" => checked(a - b),
                "*" => checked(a * b),
                "/" => b == 0 ? throw new JinjaRuntimeException("ZeroDivisionError: division by zero") : (double)a / b,
                "//" => b == 0 ? throw new JinjaRuntimeException("ZeroDivisionError: integer division or modulo by zero") : FloorDiv(a, b),
                "%" => b == 0 ? throw new JinjaRuntimeException("ZeroDivisionError: integer division or modulo by zero") : ((a % b) + b) % b,
                "**" => b < 0 ? Math.Pow(a, b) : (object)IntPow(a, b),
                _ => throw new InvalidOperationException(op),
            };
        }
        catch (OverflowException)
        {
            throw new JinjaRuntimeException($"OverflowError: the result of {a} {op} {b} does not fit 64 bits");
        }
    }

    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return a % b != 0 && (a < 0) != (b < 0) ? q - 1 : q;
    }

    private static long IntPow(long a, long b)
    {
        long result = 1;
        for (long i = 0; i < b; i++)
        {
            result = checked(result * a);
        }

        return result;
    }

    private static object FloatOp(string op, double a, double b)
    {
        if (b == 0 && op is "/" or "//" or "%")
        {
            throw new JinjaRuntimeException("ZeroDivisionError: float division by zero");
        }

        return op switch
        {
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" => a / b,
            "//" => Math.Floor(a / b),
            "%" => FloatMod(a, b),
            "**" => Math.Pow(a, b),
            _ => throw new InvalidOperationException(op),
        };
    }

    private static double FloatMod(double a, double b)
    {
        double r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }
}
