namespace Tuneforge.Text.Jinja;

/// <summary>
/// Renders parsed statements with Python Jinja2's semantics as transformers configures it (ImmutableSandboxedEnvironment,
/// default Undefined, loop controls, its tojson, raise_exception and strftime_now).
/// </summary>
internal sealed partial class Evaluator(TemplateSource source)
{
    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public TemplateSource Source { get; } = source;

    public void Render(IReadOnlyList<Node> body, Scope scope, RenderOutput output) => Run(body, scope, output);

    /// <summary>Renders a body into a string of its own (a macro call, a set block, a filter block).</summary>
    public string Capture(IReadOnlyList<Node> body, Scope scope)
    {
        var output = new RenderOutput();
        Run(body, scope, output);
        return output.Text;
    }

    private Flow Run(IReadOnlyList<Node> body, Scope scope, RenderOutput output)
    {
        foreach (Node node in body)
        {
            Flow flow;
            try
            {
                flow = Execute(node, scope, output);
            }
            catch (JinjaRuntimeException e) when (e.Offset is null)
            {
                e.Offset = node.Offset;
                throw;
            }

            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    private Flow Execute(Node node, Scope scope, RenderOutput output)
    {
        switch (node)
        {
            case TextNode text:
                output.Append(text.Text);
                return Flow.Normal;
            case OutputNode print:
                output.Append(PyOps.Str(Evaluate(print.Value, scope)));
                return Flow.Normal;
            case IfNode ifNode:
                foreach ((Expr test, IReadOnlyList<Node> branch) in ifNode.Branches)
                {
                    if (PyOps.Truthy(Evaluate(test, scope)))
                    {
                        return Run(branch, scope, output);
                    }
                }

                return Run(ifNode.Else, scope, output);
            case ForNode loop:
                ExecuteFor(loop, scope, output);
                return Flow.Normal;
            case SetNode set:
                Assign(set.Target, Evaluate(set.Value, scope), scope);
                return Flow.Normal;
            case SetBlockNode setBlock:
                object? captured = Capture(setBlock.Body, scope);
                scope.Set(setBlock.Name, ApplyFilters(setBlock.Filters, captured, scope));
                return Flow.Normal;
            case MacroNode macro:
                scope.Set(macro.Name, new MacroValue(macro.Name, macro.Parameters, macro.Body, scope));
                return Flow.Normal;
            case CallBlockNode callBlock:
                var caller = new MacroValue("", callBlock.Parameters, callBlock.Body, scope);
                object? callee = Evaluate(callBlock.Call.Callee, scope);
                Arguments arguments = EvaluateArguments(callBlock.Call.Arguments, scope);
                arguments = new Arguments(arguments.Positional, [.. arguments.Keyword, new("caller", caller)]);
                output.Append(PyOps.Str(Invoke(callee, arguments)));
                return Flow.Normal;
            case FilterBlockNode filterBlock:
                output.Append(PyOps.Str(ApplyFilters(filterBlock.Filters, Capture(filterBlock.Body, scope), scope)));
                return Flow.Normal;
            case GenerationNode generation:
                output.BeginGeneration();
                Flow flow = Run(generation.Body, scope, output);
                output.EndGeneration();
                return flow;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            default:
                throw new InvalidOperationException($"No evaluation for {node.GetType().Name}.");
        }
    }

    private void ExecuteFor(ForNode loop, Scope scope, RenderOutput output)
    {
        IReadOnlyList<object?> items = PyOps.Iterate(Evaluate(loop.Iterable, scope));
        if (loop.Filter is not null)
        {
            items = items.Where(item =>
            {
                var filterScope = new Scope(scope);
                Assign(loop.Target, item, filterScope);
                return PyOps.Truthy(Evaluate(loop.Filter, filterScope));
            }).ToArray();
        }

        if (items.Count == 0)
        {
            Run(loop.Else, new Scope(scope), output);
            return;
        }

        var context = new LoopContext(items);
        for (int i = 0; i < items.Count; i++)
        {
            // Each iteration is a fresh frame: a set inside the body is gone by the next iteration, as in Jinja2.
            var iteration = new Scope(scope);
            context.Index0 = i;
            iteration.Set("loop", context);
            Assign(loop.Target, items[i], iteration);
            if (Run(loop.Body, iteration, output) == Flow.Break)
            {
                break;
            }
        }
    }

    private void Assign(Expr target, object? value, Scope scope)
    {
        switch (target)
        {
            case NameExpr name:
                scope.Set(name.Name, value);
                return;
            case TupleExpr tuple:
                IReadOnlyList<object?> items = PyOps.Iterate(value);
                if (items.Count != tuple.Items.Count)
                {
                    throw new JinjaRuntimeException(items.Count > tuple.Items.Count
                        ? $"ValueError: too many values to unpack (expected {tuple.Items.Count})"
                        : $"ValueError: not enough values to unpack (expected {tuple.Items.Count}, got {items.Count})");
                }

                for (int i = 0; i < items.Count; i++)
                {
                    Assign(tuple.Items[i], items[i], scope);
                }

                return;
            case GetAttrExpr { Target: NameExpr owner } attribute:
                if (scope.Lookup(owner.Name) is not NamespaceValue ns)
                {
                    throw new JinjaRuntimeException("TemplateRuntimeError: cannot assign attribute on non-namespace object");
                }

                ns.Set(attribute.Name, value);
                return;
            default:
                throw new InvalidOperationException($"Cannot assign to {target.GetType().Name}.");
        }
    }

    private object? ApplyFilters(IReadOnlyList<FilterExpr> filters, object? value, Scope scope)
    {
        foreach (FilterExpr filter in filters)
        {
            value = ApplyFilter(filter, value, scope);
        }

        return value;
    }
}
