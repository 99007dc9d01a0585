using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Teacher.Tests;

/// <summary>The on-disk answer cache, the spend limit and the key's environment variable (ports 18320-18329).</summary>
public sealed class CachingTeacherTests : IDisposable
{
    private const string Key = "sk-cache-test-8e2b-never-stored";
    private readonly string _cache = Directory.CreateTempSubdirectory("tuneforge-teacher-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static TeacherRequest Ask(string question, int sample = 0) => new([ChatMessage.User(question)], sample);

    private (CachingTeacher, IDisposable) Open(ScriptedChatServer server, long maxTotalTokens = 0) =>
        Teachers.Open(new TeacherSpec { BaseUrl = server.BaseUrl, Model = "m", ApiKeyEnv = "TF_KEY", MaxTotalTokens = maxTotalTokens, RetryDelayS = 0.01 },
            _cache, name => name == "TF_KEY" ? Key : null);

    [Fact]
    public async Task A_second_run_on_the_same_cache_asks_nothing_again_and_the_files_hold_no_key()
    {
        using var server = new ScriptedChatServer(18320, ScriptedAnswer.Completion("4", "Add them."));
        var (first, connection) = Open(server);
        using (connection)
        {
            foreach (string q in new[] { "a", "b", "c" })
            {
                await first.AskAsync(Ask(q));
            }
        }

        var (second, again) = Open(server);
        using (again)
        {
            Assert.Equal(new TeacherReply("4", "Add them.", 5, 3, "stop"), await second.AskAsync(Ask("b")));
            await second.AskAsync(Ask("a"));
            await second.AskAsync(Ask("a", sample: 1));
        }

        Assert.Equal((3, 24L), (first.Asked, first.TokensSpent));
        Assert.Equal((1, 2, 8L), (second.Asked, second.FromCache, second.TokensSpent));
        Assert.Equal(4, server.Requests.Count);
        string[] files = Directory.GetFiles(_cache, "*.json", SearchOption.AllDirectories);
        Assert.Equal(4, files.Length);
        Assert.All(files, f => Assert.DoesNotContain(Key, File.ReadAllText(f)));
        Assert.DoesNotContain(Key, first.Identity);
    }

    [Fact]
    public async Task The_spend_limit_stops_before_the_next_request_once_reached()
    {
        using var server = new ScriptedChatServer(18321, ScriptedAnswer.Completion("4", promptTokens: 4, completionTokens: 4));
        var (teacher, connection) = Open(server, maxTotalTokens: 10);
        using (connection)
        {
            await teacher.AskAsync(Ask("a"));
            await teacher.AskAsync(Ask("b"));
            var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.AskAsync(Ask("c")));
            await teacher.AskAsync(Ask("a"));

            Assert.StartsWith("teacher.max_total_tokens: 16 tokens spent, the limit is 10.", error.Message);
        }

        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public void A_missing_key_variable_is_named_with_what_to_do()
    {
        var error = Assert.Throws<TeacherException>(() =>
            Teachers.Open(new TeacherSpec { ApiKeyEnv = "DEEPSEEK_API_KEY" }, _cache, _ => null));

        Assert.StartsWith("teacher.api_key_env: the environment variable DEEPSEEK_API_KEY is not set.", error.Message);
    }
}
