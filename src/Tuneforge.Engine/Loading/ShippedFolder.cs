namespace Tuneforge.Engine.Loading;

/// <summary>Finds a folder shipped with the engine: beside the executable, or at the same path under the repository
/// root above the engine or the current folder (a source checkout).</summary>
public static class ShippedFolder
{
    /// <summary>The candidates in the order searched: <c>BASE/besideEngine</c>, then <c>DIR/repositoryPath</c> for every
    /// folder above the engine and the current folder.</summary>
    public static IReadOnlyList<string> Candidates(string besideEngine, string repositoryPath)
    {
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, besideEngine) };
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                candidates.Add(Path.Combine(folder.FullName, repositoryPath));
        }
        return candidates;
    }

    /// <summary>The first candidate holding <paramref name="markerFile"/>, or null.</summary>
    public static string? Find(string besideEngine, string repositoryPath, string markerFile) =>
        Candidates(besideEngine, repositoryPath).FirstOrDefault(c => File.Exists(Path.Combine(c, markerFile)));
}
