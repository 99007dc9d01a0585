using System.Net;
using System.Text.Json.Nodes;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.Api;

public class GenerateTests
{
    [Fact]
    public async Task Generate_keeps_the_guides_contract_and_defaults()
    {
        await using var api = await TestApi.StartAsync();
        var response = await api.PostAsync("/generate", """{"query": "退货政策是什么？"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TestApi.JsonAsync(response);
        Assert.Equal("Answer to 退货政策是什么？.", json["response"]!.GetValue<string>());
        Assert.Equal("The user asks: 退货政策是什么？", json["reasoning"]!.GetValue<string>());
        Assert.StartsWith("gen-", json["id"]!.GetValue<string>());
        var settings = Assert.Single(api.Backend!.Submitted);
        Assert.Equal((512, 0.7, 0.9), (settings.MaxTokens, settings.Temperature, settings.TopP));
    }

    [Fact]
    public async Task Generate_takes_max_length_temperature_and_top_p()
    {
        await using var api = await TestApi.StartAsync();
        var json = await TestApi.JsonAsync(await api.PostAsync("/generate", new JsonObject { ["query"] = "q", ["max_length"] = 4, ["temperature"] = 0.2, ["top_p"] = 0.5 }));
        Assert.Equal("length", json["finish_reason"]!.GetValue<string>());
        Assert.Equal(4, json["usage"]!["completion_tokens"]!.GetValue<int>());
        var settings = Assert.Single(api.Backend!.Submitted);
        Assert.Equal((4, 0.2, 0.5), (settings.MaxTokens, settings.Temperature, settings.TopP));
    }
}
