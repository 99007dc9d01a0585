using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using Tuneforge.Serve.Security;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.Api;

/// <summary>The official OpenAI .NET client (a client nobody here wrote) against the server on Kestrel at a loopback port.</summary>
public class OpenAiClientTests
{
    private const string Key = "sk-tuneforge-test-0123456789";
    private static readonly ServeOptions Options = new() { ApiKeys = ApiKeySet.FromKeys([Key]) };

    private static ChatClient Client(TestApi api, string key = Key) =>
        new("test-model", new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(api.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    [Fact]
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK; OpenAI's API has it.
    public async Task The_official_client_completes_a_chat()
    {
        await using var api = await TestApi.StartAsync(Options, kestrel: true);
        ChatCompletion completion = await Client(api).CompleteChatAsync(
            [new SystemChatMessage("You are a support agent."), new UserChatMessage("退货要多久？")],
            new ChatCompletionOptions { MaxOutputTokenCount = 200, Temperature = 0.6f, TopP = 0.95f, Seed = 42 });
        Assert.Equal("Answer to 退货要多久？.", completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal(api.Backend!.TokensFor("退货要多久？").Count + 1, completion.Usage.OutputTokenCount);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        var sent = Assert.Single(api.Backend.Submitted);
        Assert.Equal((200, 0.6, 42L), (sent.MaxTokens, Math.Round(sent.Temperature, 4), sent.Seed));
    }
#pragma warning restore OPENAI001

    [Fact]
    public async Task The_official_client_streams_a_chat_with_usage()
    {
        await using var api = await TestApi.StartAsync(Options, kestrel: true);
        var text = "";
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var updates = 0;
        await foreach (var update in Client(api).CompleteChatStreamingAsync([new UserChatMessage("stream please")],
            new ChatCompletionOptions { StopSequences = { "please." } }))
        {
            updates++;
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }
        Assert.Equal("Answer to stream ", text);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True(updates > 3, $"expected several chunks, got {updates}");
        Assert.NotNull(usage);
        Assert.True(usage!.OutputTokenCount > 0);
    }

    [Fact]
    public async Task The_official_client_sees_a_400_with_the_servers_message_and_a_401_for_a_wrong_key()
    {
        await using var api = await TestApi.StartAsync(Options, kestrel: true);
        var invalid = await Assert.ThrowsAsync<ClientResultException>(() => Client(api).CompleteChatAsync(
            [new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = 5f }));
        Assert.Equal(400, invalid.Status);
        Assert.Contains("temperature", invalid.Message);
        var unauthorized = await Assert.ThrowsAsync<ClientResultException>(() => Client(api, "sk-wrong-key-0123456789").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, unauthorized.Status);
    }
}
