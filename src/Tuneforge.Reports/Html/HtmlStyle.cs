namespace Tuneforge.Reports.Html;

/// <summary>The report's inline style sheet (no external fonts or assets).</summary>
internal static class HtmlStyle
{
    public const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1f2328; }
        h1 { margin-bottom: .25rem; }
        h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
        .summary { font-size: 1.3rem; font-weight: 600; }
        .muted { color: #656d76; }
        table { border-collapse: collapse; margin: 1rem 0; }
        th, td { border: 1px solid #d0d7de; padding: .35rem .6rem; vertical-align: top; }
        th { background: #f6f8fa; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .better { color: #1a7f37; font-weight: 600; }
        .worse { color: #cf222e; font-weight: 600; }
        .pass { color: #1a7f37; font-weight: 600; }
        .fail { color: #cf222e; font-weight: 700; }
        img.plot { max-width: 100%; border: 1px solid #d0d7de; }
        .example { border: 1px solid #d0d7de; border-radius: 6px; margin: 1rem 0; }
        .example header { background: #f6f8fa; padding: .4rem .7rem; border-bottom: 1px solid #d0d7de; }
        .sides { display: grid; grid-template-columns: repeat(4, 1fr); }
        .sides.three { grid-template-columns: repeat(3, 1fr); }
        .side { padding: .5rem .7rem; border-right: 1px solid #d0d7de; min-width: 0; }
        .side:last-child { border-right: none; }
        .side h4 { margin: 0 0 .3rem; font-size: .8rem; text-transform: uppercase; color: #656d76; }
        .side pre { white-space: pre-wrap; word-wrap: break-word; margin: 0; font-family: ui-monospace, "SFMono-Regular", monospace; font-size: .85rem; max-height: 24rem; overflow: auto; }
        """;
}
