using ScottPlot;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Reports.Plots;

/// <summary>Base and tuned side by side for each quality metric, on one 0–100 axis (ROUGE and exact match ×100).</summary>
public static class MetricBarsPlot
{
    public const int Width = 800, Height = 450;

    private static readonly string[] Shown = ["rouge1", "rouge2", "rougeL", "bleu", "chrf", "exact_match"];

    public static PlotImage Render(MetricsReport report)
    {
        var plot = new Plot();
        var baseColor = Colors.Gray;
        var tunedColor = Colors.SteelBlue;
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (int i = 0; i < Shown.Length; i++)
        {
            var info = MetricCatalog.Find(Shown[i])!;
            double scale = info.Scale == "0-100" ? 1 : 100;
            double center = i * 3 + 0.5;
            if (report.Overall.Base is { } baseline)
                bars.Add(new Bar { Position = i * 3, Value = MetricCatalog.Value(baseline, info.Name)!.Value * scale, FillColor = baseColor });
            bars.Add(new Bar { Position = i * 3 + 1, Value = MetricCatalog.Value(report.Overall.Tuned, info.Name)!.Value * scale, FillColor = tunedColor });
            ticks.Add(new Tick(center, info.Label));
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.SetLimitsY(0, 100);
        plot.Axes.SetLimitsX(-1, Shown.Length * 3 - 1);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "tuned", FillColor = tunedColor });
        if (report.Overall.Base is not null) plot.Legend.ManualItems.Add(new LegendItem { LabelText = "base", FillColor = baseColor });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title(report.Overall.Base is null ? "Tuned model" : "Base vs tuned");
        plot.YLabel("score (ROUGE and exact match x100)");
        return new PlotImage("metrics", "Base vs tuned metrics", plot.GetImageBytes(Width, Height, ImageFormat.Png), plot.GetSvgXml(Width, Height));
    }
}
