using System.Text;
using Tuneforge.Pipeline.Loading;

namespace Tuneforge.Pipeline.Tests.Fuzzing;

/// <summary>One test per class of finding of the pipeline YAML fuzz campaign: damaged files are SpecExceptions with
/// file:line:column, not ArgumentExceptions from inside the YAML parser or values that silently carry U+FFFD.</summary>
public sealed class HostilePipelineTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("tuneforge-hostile-yaml-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    string Write(byte[] bytes)
    {
        var path = Path.Combine(directory, "pipeline.yaml");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static readonly string Valid = "name: demo\ndata:\n  sources: [data/samples/support-zh.jsonl]\ntrain:\n  learning_rate: 2.0e-4\n";

    [Fact]
    public void A_control_character_is_refused_with_its_line_and_column()
    {
        var path = Write(Encoding.UTF8.GetBytes(Valid.Replace("learning_rate", "learn\u0002\u0000ing_rate")));
        var error = Assert.Throws<SpecException>(() => SpecLoader.Load(path, displayPath: "pipelines/demo.yaml"));
        Assert.Equal("pipelines/demo.yaml:5:8: invalid YAML: the control character U+0002 is not allowed; is this the pipeline text file?", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_refused_with_their_line_and_column_after_a_byte_order_mark()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid).ToList();
        bytes.InsertRange(0, Encoding.UTF8.Preamble.ToArray());
        bytes[3 + Valid.IndexOf("demo", StringComparison.Ordinal) + 2] = 0xFF; // "de\xFFo"
        var error = Assert.Throws<SpecException>(() => SpecLoader.Load(Write([.. bytes]), displayPath: "pipelines/demo.yaml"));
        Assert.Equal("pipelines/demo.yaml:1:9: the file is not UTF-8 text; save it as UTF-8.", error.Message);
    }

    [Fact]
    public void A_key_left_empty_is_invalid_YAML_with_a_position_not_an_error_from_inside_the_parser()
    {
        var error = Assert.Throws<SpecException>(() => SpecLoader.Parse("name: demo\ndata:\n  : 42\n", "pipelines/demo.yaml"));
        Assert.Matches(@"^pipelines/demo\.yaml:[34]:\d+: invalid YAML: cannot read on from here; is a key missing before a ':' above\?$", error.Message);
    }

    [Fact]
    public void A_byte_order_mark_is_read_past()
    {
        var spec = SpecLoader.Load(Write([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Valid)]));
        Assert.Equal("demo", spec.Name);
    }
}
