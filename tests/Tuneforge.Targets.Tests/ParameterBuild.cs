using Tuneforge.Targets;

namespace Tuneforge.Targets.Tests;

public enum Flavor { Plain, ExtraSpicy }

public class ParameterBuild : NukeBuild
{
    [Parameter("A name")] public readonly string? Name;
    [Parameter("A count")] public readonly int Count = 1;
    [Parameter("A ratio")] public readonly double Ratio;
    [Parameter("A switch")] public readonly bool Enabled;
    [Parameter("A flavor")] public readonly Flavor Flavor;
    [Parameter("Some tags")] public readonly string[] Tags = [];
    [Parameter("A folder")] public readonly AbsolutePath? OutputDir;
    [Parameter("A token")] public string? HfToken { get; set; }
    [Parameter("Overrides", Accumulates = true)] public readonly string[] Overrides = [];

    public static ParameterBuild? Last;

    Target Show => _ => _.Executes(() => Last = this);
}
