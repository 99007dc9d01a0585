using Snapshooter;
using Snapshooter.Xunit;

namespace Tuneforge.Targets.Tests;

public class GitHubActionsWorkflowTests : IDisposable
{
    readonly TempRoot root = WorkflowRepository.Create();

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData("ci")]
    [InlineData("train")]
    [InlineData("release")]
    public void Pipeline_build_workflows_match_their_snapshots(string name) =>
        Snapshot.Match(WorkflowRepository.Generate<Build>(root, name), SnapshotNameExtension.Create(name));

    [Fact]
    public void Nuke_shaped_workflow_matches_its_snapshot() =>
        Snapshot.Match(WorkflowRepository.Generate<NightlyBuild>(root, "nightly"));

    [Fact]
    public void Output_does_not_depend_on_the_order_files_were_created_in()
    {
        using var other = WorkflowRepository.Create("default", "support-zh");
        foreach (var name in new[] { "ci", "train", "release" })
            Assert.Equal(WorkflowRepository.Generate<Build>(root, name), WorkflowRepository.Generate<Build>(other, name));
    }

    [Fact]
    public void Header_says_the_file_is_generated_and_how_to_regenerate_it()
    {
        var text = WorkflowRepository.Generate<Build>(root, "train");
        Assert.StartsWith("# ------", text);
        Assert.Contains("Generated from [GitHubActions(\"train\")] on class Build.", text);
        Assert.Contains("#         ./build.sh --generate-configuration GitHubActions_train\n", text);
    }

    [Fact]
    public void Matrix_lists_the_pipeline_files_and_a_manual_run_can_pick_one()
    {
        var text = WorkflowRepository.Generate<Build>(root, "train");
        Assert.Contains("        options: [all, default, support-zh]\n        default: all\n", text);
        Assert.Contains("      matrix:\n        pipeline: ${{ fromJSON(inputs.pipeline && inputs.pipeline != 'all' && format('[\"{0}\"]', inputs.pipeline) || '[\"default\",\"support-zh\"]') }}\n", text);
        Assert.Contains("      Pipeline: pipelines/${{ matrix.pipeline }}.yaml\n", text);
        Assert.DoesNotContain("schema", text);
    }

    [Fact]
    public void Without_a_manual_trigger_the_matrix_is_a_plain_list()
    {
        var text = WorkflowRepository.Generate<Build>(root, "release");
        Assert.Contains("      matrix:\n        pipeline: [default, support-zh]\n", text);
    }

    [Fact]
    public void Produces_of_every_planned_target_become_uploads_and_only_those()
    {
        var text = WorkflowRepository.Generate<Build>(root, "ci");
        Assert.Contains("      - name: 'Publish: Clean'", text);
        Assert.Contains("          path: |\n            artifacts/*/evaluate/report.html\n            artifacts/*/evaluate/metrics.json\n", text);
        Assert.Contains("          name: train\n          path: artifacts/*/train/adapter/**\n", text);
        Assert.DoesNotContain("dist/*.zip", text); // Package is not run by ci
        var release = WorkflowRepository.Generate<Build>(root, "release");
        Assert.Contains("          name: release-assets-${{ matrix.pipeline }}\n          path: dist/*.zip\n          if-no-files-found: error\n", release);
        Assert.DoesNotContain("Publish: Package", release); // the release assets are not uploaded twice
    }

    [Fact]
    public void Steps_run_in_the_declared_order_with_the_secrets_of_the_build_steps()
    {
        var text = WorkflowRepository.Generate<Build>(root, "train");
        var order = new[] { "name: Checkout", "name: Set up .NET (global.json)", "name: 'Cache: ~/.nuget/packages'", "name: 'Restore cache: .nuke/cache'",
            "name: 'Run: Restore'", "name: 'Run: Train, Evaluate'", "name: 'Publish: Clean'", "name: 'Save cache: .nuke/cache'" };
        var positions = order.Select(s => text.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order().ToList(), positions);
        Assert.Contains("        run: ./build.sh Train Evaluate\n        env:\n          HF_TOKEN: ${{ secrets.HF_TOKEN }}\n", text);
    }

    [Fact]
    public void Caches_are_scoped_by_environment_and_pipeline_and_the_store_is_saved_only_when_it_changed()
    {
        var text = WorkflowRepository.Generate<Build>(root, "train");
        Assert.Contains("key: ${{ runner.os }}-packages-TorchBackend-cuda-${{ hashFiles('**/global.json', '**/*.csproj', '**/Directory.Packages.props') }}", text);
        Assert.Contains("key: ${{ runner.os }}-nuke-cache-TorchBackend-cuda-${{ matrix.pipeline }}-${{ hashFiles('pipelines/**', 'data/**', 'src/**') }}\n", text);
        Assert.Contains("restore-keys: |\n            ${{ runner.os }}-nuke-cache-TorchBackend-cuda-${{ matrix.pipeline }}-${{ hashFiles('pipelines/**', 'data/**', 'src/**') }}-\n" +
                        "            ${{ runner.os }}-nuke-cache-TorchBackend-cuda-${{ matrix.pipeline }}-\n", text);
        Assert.Contains("if: always() && hashFiles('.nuke/cache/*/*/.tuneforge-entry.json') != '' && " +
                        "!endsWith(steps.restore-artifact-cache.outputs.cache-matched-key, hashFiles('.nuke/cache/*/*/.tuneforge-entry.json'))", text);
    }

    [Fact]
    public void Release_checksums_the_assets_of_every_matrix_job_and_attaches_them_to_the_tag()
    {
        var text = WorkflowRepository.Generate<Build>(root, "release");
        Assert.Contains("  release:\n    name: GitHub release\n    needs: [package]\n    if: startsWith(github.ref, 'refs/tags/')\n", text);
        Assert.Contains("    permissions:\n      contents: write\n", text);
        Assert.Contains("          pattern: release-assets*\n          path: release\n          merge-multiple: true\n", text);
        Assert.Contains("sha256sum -- * > SHA256SUMS", text);
        Assert.Contains("gh release upload \"$TAG\" --clobber -- *", text);
        Assert.Contains("          HF_TOKEN: ${{ secrets.HF_TOKEN }}\n", text);
    }

    [Fact]
    public void Actions_are_pinned_to_commits_with_their_release_as_a_comment()
    {
        var text = WorkflowRepository.Generate<Build>(root, "release");
        var uses = text.Split('\n').Where(l => l.TrimStart().StartsWith("uses:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(uses);
        Assert.All(uses, line => Assert.Matches(@"uses: actions/[a-z/-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line));
    }

    [Theory]
    [InlineData(typeof(TypoBuild), "[GitHubActions(\"typo\")] on TypoBuild invokes target 'Trian', which does not exist. Did you mean 'Train'? Available targets are: Clean, Evaluate, Package, Restore, Split, Test, Train.")]
    [InlineData(typeof(BothInvocationKindsBuild), "[GitHubActions(\"both\")] on BothInvocationKindsBuild: give either InvokedTargets or Invocations, not both.")]
    [InlineData(typeof(UnknownMatrixParameterBuild), "[GitHubActions(\"matrix\")] on UnknownMatrixParameterBuild: MatrixParameter names 'Pipelin', which is not a parameter of the build. Did you mean 'Pipeline'?")]
    [InlineData(typeof(ReleaseWithoutTagsBuild), "[GitHubActions(\"release\")] on ReleaseWithoutTagsBuild: ReleaseAssets make a release of the pushed tag: set OnPushTags (e.g. [\"v*\"]).")]
    [InlineData(typeof(BadEnvironmentBuild), "[GitHubActions(\"env\")] on BadEnvironmentBuild: EnvironmentVariables entry 'TorchBackend' is not NAME=value.")]
    [InlineData(typeof(DuplicateWorkflowBuild), "DuplicateWorkflowBuild declares the workflow 'Twice' more than once; names are file names and must differ.")]
    public void Mistakes_in_an_attribute_are_reported_with_the_workflow_and_what_to_do(Type buildType, string message)
    {
        var build = (NukeBuild)Activator.CreateInstance(buildType)!;
        var error = Assert.Throws<BuildException>(() => ConfigurationGenerator.Generate(build, root.Path));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_matrix_pattern_that_matches_no_file_names_the_pattern_and_the_root()
    {
        var error = Assert.Throws<BuildException>(() => ConfigurationGenerator.Generate(new MissingMatrixFilesBuild(), root.Path));
        Assert.Equal($"[GitHubActions(\"matrix\")] on MissingMatrixFilesBuild: MatrixFiles 'configs/*.yaml' matches no file under {root.Path}.", error.Message);
    }

    [Fact]
    public void An_unknown_configuration_id_lists_the_declared_ones()
    {
        var error = Assert.Throws<BuildException>(() => ConfigurationGenerator.Generate(new Build(), root.Path, ["GitHubActions_trian"]));
        Assert.Equal("There is no configuration 'GitHubActions_trian'. Did you mean 'GitHubActions_train'? Declared: GitHubActions_ci, GitHubActions_release, GitHubActions_train.", error.Message);
    }

    [Fact]
    public void Secret_names_are_screaming_snake_case() =>
        Assert.Equal(["HF_TOKEN", "HF_TOKEN", "OPENAI_API_KEY"], new[] { "HfToken", "HF_TOKEN", "OpenaiApiKey" }.Select(GitHubActionsWorkflow.SecretName));
}
