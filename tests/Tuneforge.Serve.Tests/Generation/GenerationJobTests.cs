using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.Tests.Generation;

public class GenerationJobTests
{
    private static GenerationJob Job(int maxTokens, params string[] stop) =>
        new(new PreparedPrompt([1, 2, 3], ThinkOpened: false), new SamplingSettings { MaxTokens = maxTokens, Stop = stop }, CancellationToken.None);

    [Fact]
    public async Task Max_tokens_ends_the_job_with_length_and_counts_every_token()
    {
        var job = Job(3);
        Assert.False(job.Append("a"));
        Assert.False(job.Append(""));
        Assert.True(job.Append("c"));
        var result = await job.Completion;
        Assert.Equal(GenerationFinish.Length, result.Finish);
        Assert.Equal(("ac", 3, 3), (result.Text, result.CompletionTokens, result.PromptTokens));
        Assert.Equal(["a", "c"], await job.Text.ReadAllAsync().ToListAsync());
    }

    [Fact]
    public async Task Token_ids_the_backend_reports_are_in_the_result_end_of_sequence_included()
    {
        var job = Job(10);
        Assert.False(job.Append("a", tokenId: 65));
        Assert.False(job.Append("", tokenId: 200));
        job.EndOfSequence(tokenId: 1);
        var result = await job.Completion;
        Assert.Equal([65, 200, 1], result.TokenIds);
        Assert.Equal((GenerationFinish.Stop, "a", 3), (result.Finish, result.Text, result.CompletionTokens));
        var textOnly = Job(1);
        textOnly.Append("b");
        Assert.Empty((await textOnly.Completion).TokenIds);
    }

    [Fact]
    public async Task A_stop_string_ends_the_job_with_stop_and_cuts_the_text()
    {
        var job = Job(100, "\n\n");
        Assert.False(job.Append("Hello\n"));
        Assert.True(job.Append("\nignored"));
        var result = await job.Completion;
        Assert.Equal((GenerationFinish.Stop, "Hello", 2), (result.Finish, result.Text, result.CompletionTokens));
    }

    [Fact]
    public async Task End_of_sequence_is_counted_not_written_and_releases_held_text()
    {
        var job = Job(100, "STOP");
        job.Append("done ST");
        job.EndOfSequence();
        var result = await job.Completion;
        Assert.Equal((GenerationFinish.Stop, "done ST", 2), (result.Finish, result.Text, result.CompletionTokens));
        Assert.NotNull(result.TimeToFirstToken);
    }

    [Fact]
    public async Task A_failed_job_faults_its_text_and_completion()
    {
        var job = Job(10);
        job.Fail(new CapacityException("full"));
        await Assert.ThrowsAsync<CapacityException>(() => job.Completion);
        await Assert.ThrowsAsync<CapacityException>(async () => await job.Text.ReadAllAsync().ToListAsync());
        Assert.True(job.Append("late"));
    }
}
