using System.Net;
using System.Text;

namespace Tuneforge.Targets;

/// <summary>--plan: the execution order as text, and a mermaid page of the whole graph.</summary>
public static class PlanText
{
    public static string Render(IReadOnlyList<ExecutableTarget> plan)
    {
        var lines = new List<string> { "Execution plan:", "" };
        for (var i = 0; i < plan.Count; i++)
        {
            var target = plan[i];
            var notes = new List<string>();
            if (target.Invoked) notes.Add("invoked");
            if (target.IsCached) notes.Add("cached");
            var dependencies = target.ExecutionDependencies.Where(plan.Contains).Select(d => d.Name).ToList();
            var after = dependencies.Count > 0 ? $" (after {string.Join(", ", dependencies)})" : "";
            lines.Add($"  {i + 1}. {target.Name}{after}{(notes.Count > 0 ? $"  [{string.Join(", ", notes)}]" : "")}");
        }
        return string.Join(Environment.NewLine, lines);
    }

    public static string Mermaid(IReadOnlyList<ExecutableTarget> targets, IReadOnlyList<ExecutableTarget> plan)
    {
        var builder = new StringBuilder("graph LR\n");
        foreach (var target in targets.Where(t => t.Listed))
        {
            builder.Append($"  {target.Name}[\"{target.Name}\"]\n");
            foreach (var dependency in target.ExecutionDependencies) builder.Append($"  {dependency.Name} --> {target.Name}\n");
            foreach (var dependency in target.OrderDependencies) builder.Append($"  {dependency.Name} -.-> {target.Name}\n");
            foreach (var triggered in target.Triggers) builder.Append($"  {target.Name} ==> {triggered.Name}\n");
        }
        foreach (var target in plan) builder.Append($"  style {target.Name} stroke-width:3px\n");
        return builder.ToString();
    }

    // The page loads mermaid from a CDN when opened in a browser; the graph text is readable without it.
    public static string MermaidPage(string mermaid) =>
        $"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Execution plan</title></head>
        <body>
        <pre class="mermaid">
        {WebUtility.HtmlEncode(mermaid)}
        </pre>
        <script type="module">import mermaid from 'https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs'; mermaid.initialize({"{"} startOnLoad: true {"}"});</script>
        </body></html>
        """;
}
