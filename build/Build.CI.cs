using Tuneforge.Stages;
using Tuneforge.Targets;

partial class Build
{
    Target Restore => _ => _
        .Description("Restores the NuGet packages, and the npm workflow validators when npm is installed (a CI step of its own)")
        .Executes(() => PackageRestore.RunAsync(RootDirectory, Cancellation));
}
