namespace Tuneforge.Reports.Plots;

/// <summary>A rendered plot: a base name (<c>loss</c>), PNG bytes and SVG text.</summary>
public sealed record PlotImage(string Name, string Title, byte[] Png, string Svg)
{
    /// <summary>The SVG as a data: URI, so an HTML page needs no file beside it.</summary>
    public string SvgDataUri => "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Svg));
}
