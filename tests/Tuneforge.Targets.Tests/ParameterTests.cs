namespace Tuneforge.Targets.Tests;

public class ParameterTests : IDisposable
{
    readonly TempRoot root = new();

    public void Dispose() => root.Dispose();

    ParameterBuild Run(params string[] args) => RunWith(new Dictionary<string, string>(), args);

    ParameterBuild RunWith(Dictionary<string, string> environment, params string[] args)
    {
        ParameterBuild.Last = null;
        var (code, output) = root.Run<ParameterBuild>(environment, ["Show", .. args]);
        Assert.True(code == 0, output);
        return ParameterBuild.Last!;
    }

    [Fact]
    public void Command_line_values_of_every_type_are_bound()
    {
        var build = Run("--name", "x", "--count", "7", "--ratio", "2.5e-1", "--enabled", "--flavor", "extra-spicy",
            "--tags", "a", "b", "c", "--output-dir", "out/dir", "--hf-token", "t0k");
        Assert.Equal("x", build.Name);
        Assert.Equal(7, build.Count);
        Assert.Equal(0.25, build.Ratio);
        Assert.True(build.Enabled);
        Assert.Equal(Flavor.ExtraSpicy, build.Flavor);
        Assert.Equal(["a", "b", "c"], build.Tags);
        Assert.Equal(Path.Combine(root.Path, "out", "dir"), build.OutputDir!.Value);
        Assert.Equal("t0k", build.HfToken);
    }

    [Fact]
    public void The_last_occurrence_wins_and_a_bool_takes_an_explicit_value()
    {
        var build = Run("--count", "1", "--enabled", "true", "--count", "3", "--enabled", "false");
        Assert.Equal(3, build.Count);
        Assert.False(build.Enabled);
    }

    [Fact]
    public void An_accumulating_parameter_collects_every_occurrence()
    {
        var build = Run("--overrides", "a=1", "--count", "2", "--overrides", "b=2", "c=3");
        Assert.Equal(["a=1", "b=2", "c=3"], build.Overrides);
    }

    [Fact]
    public void Environment_variables_match_ignoring_case_underscores_and_a_NUKE_prefix()
    {
        var build = RunWith(new() { ["hf_token"] = "from-env", ["NUKE_COUNT"] = "5", ["TAGS"] = "x y" });
        Assert.Equal("from-env", build.HfToken);
        Assert.Equal(5, build.Count);
        Assert.Equal(["x", "y"], build.Tags);
    }

    [Fact]
    public void Precedence_is_command_line_then_environment_then_profile_then_parameters_json()
    {
        File.WriteAllText(root.File(".nuke/parameters.json"), """{ "$schema": "./build.schema.json", "Name": "file", "Count": 2, "Ratio": 0.5, "Tags": ["f"] }""");
        File.WriteAllText(root.File(".nuke/parameters.ci.json"), """{ "Count": 3, "Ratio": 0.75 }""");
        var build = RunWith(new() { ["RATIO"] = "0.9" }, "--profile", "ci", "--name", "cli");
        Assert.Equal("cli", build.Name);
        Assert.Equal(0.9, build.Ratio);
        Assert.Equal(3, build.Count);
        Assert.Equal(["f"], build.Tags);
    }

    [Fact]
    public void A_value_that_does_not_convert_names_the_parameter_the_value_and_the_type()
    {
        var (code, output) = root.Run<ParameterBuild>("Show", "--count", "many");
        Assert.Equal(1, code);
        Assert.Contains("Parameter '--count': value 'many' is not a valid whole number.", output);
    }

    [Fact]
    public void A_bad_enum_lists_the_values_and_a_bad_environment_value_names_the_variable()
    {
        var (_, enumOutput) = root.Run<ParameterBuild>("Show", "--flavor", "sour");
        Assert.Contains("Parameter '--flavor': value 'sour' is not a valid one of Plain, ExtraSpicy.", enumOutput);
        var (code, envOutput) = root.Run<ParameterBuild>(new Dictionary<string, string> { ["COUNT"] = "x" }, "Show");
        Assert.Equal(1, code);
        Assert.Contains("(from environment variable COUNT)", envOutput);
    }

    [Fact]
    public void An_unknown_parameter_suggests_the_closest_one()
    {
        var (code, output) = root.Run<ParameterBuild>("Show", "--cuont", "3");
        Assert.Equal(1, code);
        Assert.Contains("Unknown parameter '--cuont'. Did you mean '--count'?", output);
    }

    [Fact]
    public void A_missing_profile_file_is_an_error_naming_it()
    {
        var (code, output) = root.Run<ParameterBuild>("Show", "--profile", "gpu");
        Assert.Equal(1, code);
        Assert.Contains("Profile 'gpu' has no file", output);
        Assert.Contains("parameters.gpu.json", output);
    }

    [Fact]
    public void Dashed_names_split_camel_humps()
    {
        Assert.Equal("no-cache", ParameterMember.Dashed("NoCache"));
        Assert.Equal("hf-token", ParameterMember.Dashed("HFToken"));
        Assert.Equal("output-dir", ParameterMember.Dashed("OutputDir"));
        Assert.Equal("bf16", ParameterMember.Dashed("Bf16"));
    }
}
