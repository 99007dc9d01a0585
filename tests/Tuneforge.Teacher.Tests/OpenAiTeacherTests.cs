using System.Diagnostics;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Teacher.Tests;

/// <summary>The OpenAI-compatible client against a real scripted HTTP server on loopback (ports 18300-18349).</summary>
public sealed class OpenAiTeacherTests
{
    private const string Key = "sk-test-5d1f0c9a-never-printed";
    private static readonly TeacherRequest Question = new([ChatMessage.User("2+2?")]);

    private static TeacherSpec Spec(ScriptedChatServer server, string? keyEnv = null) => new()
    {
        BaseUrl = server.BaseUrl, Model = "teacher-model", ApiKeyEnv = keyEnv, RetryDelayS = 0.01, MaxRetries = 3, RequestTimeoutS = 10,
    };

    [Fact]
    public async Task An_answer_comes_back_with_its_reasoning_content_and_usage_and_the_request_carries_model_sampling_and_key()
    {
        using var server = new ScriptedChatServer(18300, ScriptedAnswer.Completion("4", reasoning: "Add them.", promptTokens: 11, completionTokens: 7));
        using var teacher = new OpenAiTeacher(Spec(server, "TF_TEACHER_KEY"), Key);

        TeacherReply reply = await teacher.AskAsync(Question with { Sample = 2 });

        Assert.Equal(new TeacherReply("4", "Add them.", 11, 7, "stop"), reply);
        var (authorization, body, path) = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", path);
        Assert.Equal($"Bearer {Key}", authorization);
        Assert.Equal("teacher-model", (string?)body["model"]);
        Assert.Equal(0.6, (double)body["temperature"]!);
        Assert.Equal(44, (int)body["seed"]!);
        Assert.Equal("2+2?", (string?)body["messages"]![0]!["content"]);
    }

    [Fact]
    public async Task An_inline_think_block_is_split_into_reasoning_and_answer()
    {
        using var server = new ScriptedChatServer(18301, ScriptedAnswer.Completion("<think>\nAdd them.\n</think>\n\n4"));
        using var teacher = new OpenAiTeacher(Spec(server), null);

        TeacherReply reply = await teacher.AskAsync(Question);

        Assert.Equal(("Add them.", "4"), (reply.Reasoning, reply.Content));
        Assert.Null(Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task Answers_429_and_503_are_retried_and_Retry_After_is_honoured()
    {
        using var server = new ScriptedChatServer(18302,
            ScriptedAnswer.Error(429, "slow down", retryAfter: "1"), ScriptedAnswer.Error(503, "busy"), ScriptedAnswer.Completion("4"));
        using var teacher = new OpenAiTeacher(Spec(server), null);

        var clock = Stopwatch.StartNew();
        TeacherReply reply = await teacher.AskAsync(Question);

        Assert.Equal("4", reply.Content);
        Assert.Equal(3, server.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"waited only {clock.Elapsed}");
    }

    [Fact]
    public async Task Backoff_doubles_from_the_first_delay_up_to_a_minute()
    {
        using var server = new ScriptedChatServer(18303, ScriptedAnswer.Completion("4"));
        using var teacher = new OpenAiTeacher(Spec(server) with { RetryDelayS = 1.5 }, null);

        Assert.Equal([1.5, 3, 6, 12, 24, 48, 60, 60], Enumerable.Range(0, 8).Select(a => teacher.Backoff(a).TotalSeconds));
        Assert.Equal("4", (await teacher.AskAsync(Question)).Content);
    }

    [Fact]
    public async Task Server_errors_past_max_retries_fail_with_the_count_and_the_last_answer()
    {
        using var server = new ScriptedChatServer(18304, ScriptedAnswer.Error(500, "internal failure"));
        using var teacher = new OpenAiTeacher(Spec(server) with { MaxRetries = 2 }, null);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.AskAsync(Question));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(
            $"teacher teacher-model at {server.BaseUrl} failed 3 times (teacher.max_retries = 2); last: 500 internal failure. " +
            "Wait and run again (answers so far are cached), or raise teacher.max_retries / teacher.request_timeout_s.",
            error.Message);
    }

    [Fact]
    public async Task A_request_past_the_timeout_is_retried_and_then_fails_naming_the_setting()
    {
        using var server = new ScriptedChatServer(18305, ScriptedAnswer.Completion("late") with { Delay = TimeSpan.FromSeconds(3) });
        using var teacher = new OpenAiTeacher(Spec(server) with { RequestTimeoutS = 0.3, MaxRetries = 1 }, null);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.AskAsync(Question));

        Assert.Contains("failed 2 times (teacher.max_retries = 1); last: no answer within teacher.request_timeout_s = 0.3 s.", error.Message);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_refused_key_names_the_variable_and_never_shows_the_key_even_when_the_server_echoes_it()
    {
        using var server = new ScriptedChatServer(18306, ScriptedAnswer.Error(401, $"Incorrect API key provided: {Key}"));
        using var teacher = new OpenAiTeacher(Spec(server, "TF_TEACHER_KEY"), Key);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.AskAsync(Question));

        Assert.Equal(
            $"teacher teacher-model at {server.BaseUrl} refused the key in $TF_TEACHER_KEY (401: Incorrect API key provided: ***). " +
            $"Check that the variable holds a valid key for {server.BaseUrl}.",
            error.Message);
        Assert.Single(server.Requests);
        Assert.DoesNotContain(Key, error.ToString());
    }

    [Fact]
    public async Task A_wrong_model_name_says_so_and_is_not_retried()
    {
        using var server = new ScriptedChatServer(18307, ScriptedAnswer.Error(404, "Model Not Exist"));
        using var teacher = new OpenAiTeacher(Spec(server), null);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.AskAsync(Question));

        Assert.StartsWith($"teacher teacher-model at {server.BaseUrl} answered 404 (Model Not Exist): no model 'teacher-model'", error.Message);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("<html>Welcome to nginx</html>", "not JSON")]
    [InlineData("{\"object\":\"list\",\"data\":[]}", "no choices[0].message")]
    [InlineData("{\"choices\":[{\"message\":{\"content\":42}}]}", "choices[0].message.content is not a string")]
    public async Task A_garbage_answer_fails_with_what_is_wrong_and_the_body_s_start(string body, string problem)
    {
        using var server = new ScriptedChatServer(18308, new ScriptedAnswer(200, body));
        using var teacher = new OpenAiTeacher(Spec(server), null);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.AskAsync(Question));

        Assert.Contains($"answered 200 but not with an OpenAI chat completion: {problem}", error.Message);
        Assert.Contains($"the body starts: {body}", error.Message);
    }

    [Fact]
    public async Task An_unreachable_host_says_so_at_once()
    {
        using var teacher = new OpenAiTeacher(new TeacherSpec { BaseUrl = "http://127.0.0.1:18349/v1", Model = "m", RetryDelayS = 5 }, null);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.AskAsync(Question));

        Assert.StartsWith("teacher m at http://127.0.0.1:18349/v1 cannot be reached (", error.Message);
        Assert.EndsWith("Check teacher.base_url and that the server is running.", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task No_more_requests_are_in_flight_than_max_concurrency()
    {
        using var server = new ScriptedChatServer(18309, ScriptedAnswer.Completion("4") with { Delay = TimeSpan.FromMilliseconds(300) });
        using var teacher = new OpenAiTeacher(Spec(server) with { MaxConcurrency = 2 }, null);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => teacher.AskAsync(Question with { Sample = i })));

        Assert.Equal(6, server.Requests.Count);
        Assert.Equal(2, server.MaxInFlight);
    }

    [Fact]
    public void The_identity_holds_endpoint_model_and_sampling_but_never_the_key()
    {
        var spec = new TeacherSpec { BaseUrl = "https://api.deepseek.com/v1/", Model = "deepseek-reasoner", ApiKeyEnv = "DEEPSEEK_API_KEY" };

        Assert.Equal(
            "{\"base_url\":\"https://api.deepseek.com/v1\",\"max_tokens\":4096,\"model\":\"deepseek-reasoner\",\"seed\":42,\"temperature\":0.6,\"top_p\":0.95}",
            OpenAiTeacher.IdentityOf(spec));
        Assert.NotEqual(OpenAiTeacher.IdentityOf(spec), OpenAiTeacher.IdentityOf(spec with { Temperature = 0.7 }));
    }
}
