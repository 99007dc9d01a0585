using Tuneforge.Hub.Sources;

namespace Tuneforge.Hub.Tests.Sources;

public sealed class ModelSourceParseTests
{
    [Theory]
    [InlineData("hf://deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "main")]
    [InlineData("hf://Qwen/Qwen3-0.6B@v1.0", "Qwen/Qwen3-0.6B", "v1.0")]
    [InlineData("HF://org/name@refs/pr/12", "org/name", "refs/pr/12")]
    [InlineData("  hf://org/my_model.v2@dev  ", "org/my_model.v2", "dev")]
    [InlineData("hf://org/name@ABCDEF0123456789ABCDEF0123456789ABCDEF01", "org/name", "abcdef0123456789abcdef0123456789abcdef01")]
    public void Hub_sources_parse_into_repository_and_revision(string text, string repoId, string revision)
    {
        var source = Assert.IsType<HubModelSource>(ModelSource.Parse(text));

        Assert.Equal(repoId, source.RepoId);
        Assert.Equal(revision, source.Revision);
        Assert.Equal(revision.Length == 40, source.RevisionIsCommit);
        Assert.Equal($"hf://{repoId}@{revision}", source.ToString());
    }

    [Fact]
    public void A_preset_is_parsed_by_name()
    {
        var source = Assert.IsType<PresetModelSource>(ModelSource.Parse("preset:tiny-r1"));

        Assert.Equal("tiny-r1", source.Name);
        Assert.Equal("preset:tiny-r1", source.ToString());
    }

    [Theory]
    [InlineData("models/qwen-1.5b")]
    [InlineData("/data/models/DeepSeek-R1-Distill-Qwen-1.5B")]
    [InlineData("./tiny")]
    [InlineData(@"C:\models\qwen")]
    public void Anything_else_is_a_local_folder(string text)
    {
        var source = Assert.IsType<LocalModelSource>(ModelSource.Parse(text));

        Assert.Equal(text, source.Path);
    }

    [Theory]
    [InlineData("", "Invalid model source '': the model source is empty; write a local model folder, hf://org/name[@revision] or preset:NAME.")]
    [InlineData("hf://", "Invalid model source 'hf://': the repository id is missing; write hf://org/name.")]
    [InlineData("hf://gpt2", "Invalid model source 'hf://gpt2': the repository id 'gpt2' has no organization; write hf://org/name (for example hf://deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B).")]
    [InlineData("hf://org/name/tree/dev", "Invalid model source 'hf://org/name/tree/dev': the repository id 'org/name/tree/dev' has more than one '/'; write hf://org/name; for a revision write hf://org/name@dev.")]
    [InlineData("hf://org/name@", "Invalid model source 'hf://org/name@': the revision after '@' is empty; write hf://org/name@main, a tag, or a 40-character commit hash.")]
    [InlineData("hf://org/na me", "Invalid model source 'hf://org/na me': 'na me' in 'org/na me' may only use letters, digits, '-', '_' and '.', and may not start or end with '-' or '.'.")]
    [InlineData("hf://org/-name", "Invalid model source 'hf://org/-name': '-name' in 'org/-name' may only use letters, digits, '-', '_' and '.', and may not start or end with '-' or '.'.")]
    [InlineData("hf://org/a--b", "Invalid model source 'hf://org/a--b': the repository id 'org/a--b' may not contain '--' or '..'.")]
    [InlineData("hf://org/name.git", "Invalid model source 'hf://org/name.git': the repository id 'org/name.git' may not end with '.git'; write hf://org/name.")]
    [InlineData("hf://org/name@../../etc", "Invalid model source 'hf://org/name@../../etc': the revision '../../etc' has a component starting or ending with '.' or ending with '.lock'; use a branch, a tag or a 40-character commit hash.")]
    [InlineData("hf://org/name@a b", "Invalid model source 'hf://org/name@a b': the revision 'a b' contains a character git does not allow in a ref (space, ~ ^ : ? * [ \\ @); use a branch, a tag or a 40-character commit hash.")]
    [InlineData("hf://org/name@dev@v2", "Invalid model source 'hf://org/name@dev@v2': the revision 'dev@v2' contains a character git does not allow in a ref (space, ~ ^ : ? * [ \\ @); use a branch, a tag or a 40-character commit hash.")]
    [InlineData("preset:", "Invalid model source 'preset:': the preset name is missing (for example preset:tiny-r1).")]
    [InlineData("preset:Tiny R1", "Invalid model source 'preset:Tiny R1': a preset name is lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (for example preset:tiny-r1).")]
    [InlineData("https://huggingface.co/deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "Invalid model source 'https://huggingface.co/deepseek-ai/DeepSeek-R1-Distill-Qwen-7B': web addresses are not model sources; write hf://org/name[@revision] (set HF_ENDPOINT for a mirror); did you mean hf://deepseek-ai/DeepSeek-R1-Distill-Qwen-7B?.")]
    [InlineData("s3://bucket/model", "Invalid model source 's3://bucket/model': unknown scheme 's3://'; write a local model folder, hf://org/name[@revision] or preset:NAME.")]
    public void Malformed_sources_fail_with_a_message_saying_how_to_write_them(string text, string message)
    {
        var error = Assert.Throws<ModelSourceFormatException>(() => ModelSource.Parse(text));

        Assert.Equal(message, error.Message);
        Assert.False(ModelSource.TryParse(text, out var source, out var tryError));
        Assert.Null(source);
        Assert.Equal(message, tryError);
    }

    [Fact]
    public void Sources_compare_by_value()
    {
        Assert.Equal(ModelSource.Parse("hf://org/name"), ModelSource.Parse("hf://org/name@main"));
        Assert.NotEqual(ModelSource.Parse("hf://org/name@dev"), ModelSource.Parse("hf://org/name@main"));
        Assert.Equal(ModelSource.Parse("preset:tiny-r1"), new PresetModelSource("tiny-r1"));
    }
}
