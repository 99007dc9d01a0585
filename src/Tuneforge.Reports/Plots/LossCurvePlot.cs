using ScottPlot;
using Tuneforge.Protocol;
using Tuneforge.Reports.Input;

namespace Tuneforge.Reports.Plots;

/// <summary>Training and evaluation loss against step, one line each.</summary>
public static class LossCurvePlot
{
    public const int Width = 800, Height = 450;

    /// <summary>Renders the curves; null when the history has no points.</summary>
    public static PlotImage? Render(TrainingHistory? history)
    {
        if (history is null || history.IsEmpty) return null;
        var plot = new Plot();
        AddCurve(plot, history.TrainLoss, "train loss", Colors.SteelBlue, markerSize: 0);
        AddCurve(plot, history.EvalLoss, "eval loss", Colors.OrangeRed, markerSize: 6);
        plot.Title("Loss");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperRight);
        return new PlotImage("loss", "Training and eval loss", plot.GetImageBytes(Width, Height, ImageFormat.Png), plot.GetSvgXml(Width, Height));
    }

    private static void AddCurve(Plot plot, IReadOnlyList<LossPoint> points, string label, Color color, float markerSize)
    {
        if (points.Count == 0) return;
        var ordered = points.OrderBy(p => p.Step).ToArray();
        var line = plot.Add.Scatter(ordered.Select(p => (double)p.Step).ToArray(), ordered.Select(p => p.Value).ToArray(), color);
        line.LegendText = label;
        line.MarkerSize = markerSize;
        line.LineWidth = 2;
    }
}
