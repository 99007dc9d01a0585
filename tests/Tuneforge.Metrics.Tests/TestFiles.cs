namespace Tuneforge.Metrics.Tests;

/// <summary>Paths of the files under TestData/ (copied next to the test assembly).</summary>
internal static class TestFiles
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));
}
