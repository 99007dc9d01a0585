namespace Tuneforge.Targets;

/// <summary>GitHub-hosted runner images, as NUKE's enum; a self-hosted runner is chosen by
/// <see cref="GitHubActionsAttribute.RunsOnLabels"/> instead.</summary>
public enum GitHubActionsImage
{
    UbuntuLatest,
    Ubuntu2404,
    Ubuntu2204,
    WindowsLatest,
    Windows2025,
    Windows2022,
    MacOsLatest,
    MacOs15,
    MacOs14,
}

public static class GitHubActionsImageExtensions
{
    /// <summary>The runner label: ubuntu-latest, ubuntu-24.04, windows-2022, macos-14, ...</summary>
    public static string Label(this GitHubActionsImage image) => image switch
    {
        GitHubActionsImage.UbuntuLatest => "ubuntu-latest",
        GitHubActionsImage.Ubuntu2404 => "ubuntu-24.04",
        GitHubActionsImage.Ubuntu2204 => "ubuntu-22.04",
        GitHubActionsImage.WindowsLatest => "windows-latest",
        GitHubActionsImage.Windows2025 => "windows-2025",
        GitHubActionsImage.Windows2022 => "windows-2022",
        GitHubActionsImage.MacOsLatest => "macos-latest",
        GitHubActionsImage.MacOs15 => "macos-15",
        GitHubActionsImage.MacOs14 => "macos-14",
        _ => throw new ArgumentOutOfRangeException(nameof(image), image, null),
    };

    public static bool IsWindows(this GitHubActionsImage image) => image.Label().StartsWith("windows", StringComparison.Ordinal);
}
