using Tuneforge.Hub.Download;

namespace Tuneforge.Hub.Tests.Download;

public sealed class HubSettingsTests
{
    private static HubSettings From(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        environment.TryAdd("HOME", "/home/someone");
        return HubSettings.FromEnvironment(environment.GetValueOrDefault);
    }

    [Fact]
    public void The_cache_folder_follows_HF_HUB_CACHE_then_HF_HOME_then_XDG_CACHE_HOME()
    {
        Assert.Equal("/x/hub-cache", From(("HF_HUB_CACHE", "/x/hub-cache"), ("HF_HOME", "/y")).CacheDirectory);
        Assert.Equal("/legacy", From(("HUGGINGFACE_HUB_CACHE", "/legacy"), ("HF_HOME", "/y")).CacheDirectory);
        Assert.Equal("/y/hub", From(("HF_HOME", "/y"), ("XDG_CACHE_HOME", "/z")).CacheDirectory);
        Assert.Equal("/z/huggingface/hub", From(("XDG_CACHE_HOME", "/z")).CacheDirectory);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".cache", "huggingface", "hub"), From().CacheDirectory);
        Assert.Equal(Path.Combine(home, "models"), From(("HF_HUB_CACHE", "~/models")).CacheDirectory);
    }

    [Fact]
    public void The_endpoint_defaults_to_the_hub_and_loses_a_trailing_slash()
    {
        Assert.Equal("https://huggingface.co", From().Endpoint);
        Assert.Equal("https://hf-mirror.com", From(("HF_ENDPOINT", "https://hf-mirror.com/")).Endpoint);
    }

    [Fact]
    public void An_endpoint_that_is_not_an_http_address_is_refused()
    {
        var error = Assert.Throws<HubException>(() => From(("HF_ENDPOINT", "hf-mirror.com")));

        Assert.Equal(HubErrorKind.Configuration, error.Kind);
        Assert.Equal(
            "HF_ENDPOINT='hf-mirror.com' is not an http(s) address. Set it to the Hub or a mirror, for example " +
            "HF_ENDPOINT=https://hf-mirror.com, or unset it for https://huggingface.co.",
            error.Message);
    }

    [Fact]
    public void The_token_comes_from_HF_TOKEN_before_the_token_file()
    {
        var root = Directory.CreateTempSubdirectory("tuneforge-hub-token").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "token"), "hf_from_home_file\n");
            var custom = Path.Combine(root, "custom-token");
            File.WriteAllText(custom, "  hf_from_custom_file \r\n");

            var fromVariable = From(("HF_TOKEN", "hf_from_variable"), ("HF_HOME", root));
            var fromCustomFile = From(("HF_TOKEN_PATH", custom), ("HF_HOME", root));
            var fromHomeFile = From(("HF_HOME", root));
            var none = From(("HF_HOME", Path.Combine(root, "empty")));

            Assert.Equal(("hf_from_variable", "HF_TOKEN"), (fromVariable.Token, fromVariable.TokenSource));
            Assert.Equal(("hf_from_custom_file", custom), (fromCustomFile.Token, fromCustomFile.TokenSource));
            Assert.Equal(("hf_from_home_file", Path.Combine(root, "token")), (fromHomeFile.Token, fromHomeFile.TokenSource));
            Assert.Null(none.Token);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Timeouts_follow_HF_HUB_ETAG_TIMEOUT_and_HF_HUB_DOWNLOAD_TIMEOUT()
    {
        var environment = new Dictionary<string, string> { ["HF_HUB_ETAG_TIMEOUT"] = "2.5", ["HF_HUB_DOWNLOAD_TIMEOUT"] = "120" };

        var options = HubClientOptions.FromEnvironment(environment.GetValueOrDefault);
        var defaults = HubClientOptions.FromEnvironment(_ => null);
        var error = Assert.Throws<HubException>(() => HubClientOptions.FromEnvironment(n => n == "HF_HUB_ETAG_TIMEOUT" ? "ten" : null));

        Assert.Equal((TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(120)), (options.RequestTimeout, options.ReadTimeout));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)), (defaults.RequestTimeout, defaults.ReadTimeout));
        Assert.Equal("HF_HUB_ETAG_TIMEOUT='ten' is not a number of seconds between 0 and 86400; set it to, for example, HF_HUB_ETAG_TIMEOUT=60.", error.Message);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("TRUE", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    public void HF_HUB_OFFLINE_accepts_the_values_huggingface_hub_accepts(string value, bool offline)
    {
        Assert.Equal(offline, From(("HF_HUB_OFFLINE", value)).Offline);
        Assert.Equal(offline, From(("TRANSFORMERS_OFFLINE", value)).Offline);
    }
}
