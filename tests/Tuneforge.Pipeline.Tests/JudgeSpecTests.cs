using Tuneforge.Pipeline.Loading;

namespace Tuneforge.Pipeline.Tests;

public class JudgeSpecTests
{
    const string Minimal = "name: demo\ndata:\n  sources: [data/a.jsonl]\n";

    [Fact]
    public void The_judge_is_off_and_asks_the_pipelines_teacher_at_temperature_zero_by_default()
    {
        var spec = SpecLoader.Parse(Minimal + "teacher:\n  base_url: http://judge.example/v1\n  temperature: 0.6\n  max_tokens: 64\n", "pipelines/demo.yaml", []);
        var judge = spec.Judge.TeacherOf(spec.Teacher);

        Assert.False(spec.Judge.Enabled);
        Assert.True(spec.Judge.UseReference);
        Assert.Equal(("http://judge.example/v1", 0.0, 1.0, 2048), (judge.BaseUrl, judge.Temperature, judge.TopP, judge.MaxTokens));
    }

    [Fact]
    public void A_judge_endpoint_of_its_own_replaces_the_teacher()
    {
        var spec = SpecLoader.Parse(Minimal + "judge:\n  enabled: true\n  endpoint:\n    base_url: http://127.0.0.1:9/v1\n    model: qwen-judge\n    api_key_env: JUDGE_KEY\n",
            "pipelines/demo.yaml", ["judge.max_samples=20"]);
        var judge = spec.Judge.TeacherOf(spec.Teacher);

        Assert.Equal(("http://127.0.0.1:9/v1", "qwen-judge", "JUDGE_KEY"), (judge.BaseUrl, judge.Model, judge.ApiKeyEnv));
        Assert.Equal(20, spec.Judge.MaxSamples);
    }

    [Fact]
    public void A_key_pasted_into_the_judges_api_key_env_is_refused_without_being_shown()
    {
        const string key = "sk-9d0c1e2f3a4b";
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + $"judge:\n  endpoint:\n    api_key_env: {key}\n", "pipelines/demo.yaml", []));

        Assert.StartsWith("pipelines/demo.yaml:6:18: judge.endpoint.api_key_env: must be the name of an environment variable", e.Message);
        Assert.DoesNotContain(key, e.ToString());
    }

    [Fact]
    public void A_local_judge_refuses_a_model_name_of_its_own()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + "judge:\n  endpoint:\n    base_url: local\n    model: gpt-4o\n", "pipelines/demo.yaml", []));

        Assert.Equal("pipelines/demo.yaml:7:12: judge.endpoint.model: with judge.endpoint.base_url: local the judge is the pipeline's own base model (preset:tiny-r1); " +
                     "remove judge.endpoint.model, or give the base_url of the endpoint that serves 'gpt-4o'.", e.Message);
    }

    [Fact]
    public void The_judge_needs_the_base_answers_and_zero_samples_is_refused()
    {
        var noBase = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + "judge:\n  enabled: true\nevaluate:\n  compare_base: false\n", "pipelines/demo.yaml", []));
        var zero = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal, "pipelines/demo.yaml", ["judge.max_samples=0"]));

        Assert.Equal("pipelines/demo.yaml:5:12: judge.enabled: the judge compares the tuned answers with the base model's; set evaluate.compare_base: true, or turn the judge off.", noBase.Message);
        Assert.Contains("judge.max_samples: must be >= 1", zero.Message);
    }
}
