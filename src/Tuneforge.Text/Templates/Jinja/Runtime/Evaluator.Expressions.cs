namespace Tuneforge.Text.Jinja;

internal sealed partial class Evaluator
{
    public object? Evaluate(Expr expr, Scope scope)
    {
        try
        {
            return EvaluateCore(expr, scope);
        }
        catch (JinjaRuntimeException e) when (e.Offset is null)
        {
            e.Offset = expr.Offset;
            throw;
        }
    }

    private object? EvaluateCore(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case ConstExpr constant:
                return constant.Value;
            case NameExpr name:
                return scope.Lookup(name.Name);
            case GetAttrExpr attribute:
                return Attributes.Get(Evaluate(attribute.Target, scope), attribute.Name);
            case GetItemExpr item:
                object? target = Evaluate(item.Target, scope);
                return item.Index is SliceExpr slice
                    ? Slicing.Slice(target, Bound(slice.Start, scope), Bound(slice.Stop, scope), Bound(slice.Step, scope))
                    : Attributes.Item(target, Evaluate(item.Index, scope));
            case ListExpr list:
                return new ListValue(list.Items.Select(i => Evaluate(i, scope)).ToArray());
            case TupleExpr tuple:
                return new ListValue(tuple.Items.Select(i => Evaluate(i, scope)).ToArray(), isTuple: true);
            case DictExpr dict:
                var value = new DictValue();
                foreach ((Expr key, Expr item) in dict.Items)
                {
                    value.Set(Evaluate(key, scope), Evaluate(item, scope));
                }

                return value;
            case CallExpr call:
                return Invoke(Evaluate(call.Callee, scope), EvaluateArguments(call.Arguments, scope));
            case FilterExpr filter:
                return ApplyFilter(filter, Evaluate(filter.Target!, scope), scope);
            case TestExpr test:
                return Tests.Apply(test.Name, Evaluate(test.Target, scope), EvaluateArguments(test.Arguments, scope));
            case UnaryExpr { Operator: "not" } not:
                return !PyOps.Truthy(Evaluate(not.Operand, scope));
            case UnaryExpr unary:
                return PyOps.Negate(Evaluate(unary.Operand, scope), unary.Operator);
            case BinaryExpr { Operator: "and" } and:
                object? left = Evaluate(and.Left, scope);
                return PyOps.Truthy(left) ? Evaluate(and.Right, scope) : left;
            case BinaryExpr { Operator: "or" } or:
                object? first = Evaluate(or.Left, scope);
                return PyOps.Truthy(first) ? first : Evaluate(or.Right, scope);
            case BinaryExpr binary:
                return PyOps.Binary(binary.Operator, Evaluate(binary.Left, scope), Evaluate(binary.Right, scope));
            case ConcatExpr concat:
                return string.Concat(concat.Parts.Select(p => PyOps.Str(Evaluate(p, scope))));
            case CompareExpr compare:
                return Compare(compare, scope);
            case CondExpr conditional:
                if (PyOps.Truthy(Evaluate(conditional.Test, scope)))
                {
                    return Evaluate(conditional.Then, scope);
                }

                return conditional.Else is null
                    ? Undefined.Because("the inline if-expression evaluated to false and has no else section")
                    : Evaluate(conditional.Else, scope);
            default:
                throw new InvalidOperationException($"No evaluation for {expr.GetType().Name}.");
        }
    }

    private object? Bound(Expr? expr, Scope scope) => expr is null ? null : Evaluate(expr, scope);

    private bool Compare(CompareExpr compare, Scope scope)
    {
        object? left = Evaluate(compare.First, scope);
        foreach ((string op, Expr operand) in compare.Rest)
        {
            object? right = Evaluate(operand, scope);
            bool holds = op switch
            {
                "==" => PyOps.Equal(left, right),
                "!=" => !PyOps.Equal(left, right),
                "<" => PyOps.Compare(left, right, op) < 0,
                "<=" => PyOps.Compare(left, right, op) <= 0,
                ">" => PyOps.Compare(left, right, op) > 0,
                ">=" => PyOps.Compare(left, right, op) >= 0,
                "in" => PyOps.Contains(right, left),
                "not in" => !PyOps.Contains(right, left),
                _ => throw new InvalidOperationException(op),
            };
            if (!holds)
            {
                return false;
            }

            left = right;
        }

        return true;
    }

    public Arguments EvaluateArguments(CallArguments arguments, Scope scope)
    {
        if (arguments == CallArguments.None)
        {
            return Arguments.None;
        }

        var positional = arguments.Positional.Select(a => Evaluate(a, scope)).ToList();
        if (arguments.Star is not null)
        {
            positional.AddRange(PyOps.Iterate(Evaluate(arguments.Star, scope)));
        }

        var keyword = arguments.Keyword.Select(k => new KeyValuePair<string, object?>(k.Name, Evaluate(k.Value, scope))).ToList();
        if (arguments.DoubleStar is not null)
        {
            if (Evaluate(arguments.DoubleStar, scope) is not DictValue dict)
            {
                throw JinjaRuntimeException.Type("argument after ** must be a mapping");
            }

            keyword.AddRange(dict.Items.Select(i => new KeyValuePair<string, object?>(PyOps.Str(i.Key), i.Value)));
        }

        return new Arguments(positional, keyword);
    }

    public object? Invoke(object? callee, Arguments arguments) => callee switch
    {
        Callable callable => callable.Call(this, arguments),
        Undefined undefined => throw undefined.Error(),
        _ => throw JinjaRuntimeException.Type($"'{PyOps.TypeName(callee)}' object is not callable"),
    };

    private object? ApplyFilter(FilterExpr filter, object? value, Scope scope) =>
        Filters.Apply(this, filter.Name, value, EvaluateArguments(filter.Arguments, scope));
}
