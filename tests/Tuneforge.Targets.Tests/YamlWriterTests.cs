namespace Tuneforge.Targets.Tests;

public class YamlWriterTests
{
    [Theory]
    [InlineData("ubuntu-latest", "ubuntu-latest")]
    [InlineData("${{ github.workflow }}-${{ github.ref }}", "${{ github.workflow }}-${{ github.ref }}")]
    [InlineData("Cache: ~/.nuget/packages", "'Cache: ~/.nuget/packages'")]
    [InlineData("a #b", "'a #b'")]
    [InlineData("it's", "it's")]
    [InlineData("'quoted'", "'''quoted'''")]
    [InlineData("*.zip", "'*.zip'")]
    [InlineData("!.nuke/temp/build.log", "'!.nuke/temp/build.log'")]
    [InlineData("- item", "'- item'")]
    [InlineData("on", "'on'")]
    [InlineData("yes", "'yes'")]
    [InlineData("null", "'null'")]
    [InlineData("~", "'~'")]
    [InlineData("12", "'12'")]
    [InlineData("1.5e3", "'1.5e3'")]
    [InlineData("1:20", "'1:20'")]
    [InlineData("0o17", "'0o17'")]
    [InlineData("v1.2.3", "v1.2.3")]
    [InlineData("ends:", "'ends:'")]
    [InlineData(" padded", "' padded'")]
    [InlineData("", "''")]
    public void Strings_are_plain_only_when_they_read_back_as_the_same_string(string value, string written) =>
        Assert.Equal($"key: {written}\n", YamlWriter.Write(new YamlMapping { ["key"] = value }));

    [Fact]
    public void Numbers_and_booleans_are_written_as_such() =>
        Assert.Equal("a: 30\nb: true\nc: '30'\n", YamlWriter.Write(new YamlMapping { ["a"] = 30, ["b"] = true, ["c"] = "30" }));

    [Fact]
    public void Lines_become_a_literal_block_and_a_missing_final_newline_is_kept_missing() =>
        Assert.Equal("run: |\n  one\n\n  two\nlast: |-\n  a\n  b\nindented: |2-\n    x\n  y\n",
            YamlWriter.Write(new YamlMapping { ["run"] = "one\n\ntwo\n", ["last"] = "a\nb", ["indented"] = "  x\ny" }));

    [Fact]
    public void Flow_sequences_quote_what_would_end_an_item()
    {
        var mapping = new YamlMapping
        {
            ["labels"] = new YamlSequence(["self-hosted", "gpu"], Flow: true),
            ["paths"] = new YamlSequence(["a,b", "pipelines/**", "[x]"], Flow: true),
            ["none"] = new YamlSequence([], Flow: true),
        };
        Assert.Equal("labels: [self-hosted, gpu]\npaths: ['a,b', pipelines/**, '[x]']\nnone: []\n", YamlWriter.Write(mapping));
    }

    [Fact]
    public void Sequences_of_mappings_align_keys_under_the_dash_and_comments_follow_values()
    {
        var steps = new YamlSequence(
        [
            new YamlMapping { ["name"] = "Checkout", ["uses"] = new YamlScalar("actions/checkout@abc") { Comment = "v7.0.1" } },
            new YamlMapping { ["run"] = "./build.sh Test", ["env"] = new YamlMapping { ["A"] = "1" } },
        ]);
        var document = new YamlMapping { ["name"] = "ci", ["steps"] = steps, ["empty"] = new YamlMapping() };
        document.SpacedKeys.Add("steps");
        Assert.Equal("""
            name: ci

            steps:
              - name: Checkout
                uses: actions/checkout@abc # v7.0.1
              - run: ./build.sh Test
                env:
                  A: '1'
            empty: {}

            """.Replace("\r", ""), YamlWriter.Write(document));
    }

    [Fact]
    public void A_key_added_twice_is_a_programming_error() =>
        Assert.Throws<InvalidOperationException>(() => new YamlMapping { ["a"] = "1", ["a"] = "2" });
}
