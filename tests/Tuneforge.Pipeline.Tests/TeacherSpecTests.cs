using Tuneforge.Pipeline.Loading;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Tests;

public class TeacherSpecTests
{
    const string Minimal = "name: demo\ndata:\n  sources: [data/a.jsonl]\n";

    [Fact]
    public void Teacher_reason_and_augment_are_off_with_DeepSeek_defaults_until_asked()
    {
        var spec = SpecLoader.Parse(Minimal, "pipelines/demo.yaml", []);

        Assert.False(spec.Reason.Enabled);
        Assert.False(spec.Augment.Enabled);
        Assert.Equal(("https://api.deepseek.com/v1", "deepseek-reasoner", null), (spec.Teacher.BaseUrl, spec.Teacher.Model, spec.Teacher.ApiKeyEnv));
    }

    [Fact]
    public void A_key_pasted_into_api_key_env_is_refused_without_being_shown()
    {
        const string key = "sk-4f2a9c0e7b1d";
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + $"teacher:\n  api_key_env: {key}\n", "pipelines/demo.yaml", []));

        Assert.Equal(
            "pipelines/demo.yaml:5:16: teacher.api_key_env: must be the name of an environment variable (like DEEPSEEK_API_KEY), not the key itself; " +
            "the value is not shown. Export the key in a variable and put the variable's name here.",
            e.Message);
        Assert.DoesNotContain(key, e.ToString());
    }

    [Fact]
    public void Reason_settings_are_validated_with_their_yaml_path()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + "reason:\n  enabled: true\n  samples: 0\n", "pipelines/demo.yaml", []));

        Assert.Equal("pipelines/demo.yaml:6:12: reason.samples: must be >= 1 and <= 64 (got 0).", e.Message);
    }

    [Fact]
    public void The_think_policy_takes_its_new_names()
    {
        var spec = SpecLoader.Parse(Minimal + "model:\n  answer_without_reasoning: mask_think\n", "pipelines/demo.yaml", ["model.answer_without_reasoning=traces"]);

        Assert.Equal(ThinkPolicy.Traces, spec.Model.AnswerWithoutReasoning);
    }

    [Fact]
    public void A_local_teacher_is_the_pipelines_model_and_refuses_a_model_name_or_key_of_its_own()
    {
        var local = SpecLoader.Parse(Minimal + "teacher:\n  base_url: local\n", "pipelines/demo.yaml", []);
        var named = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + "teacher:\n  base_url: local\n  model: deepseek-chat\n", "pipelines/demo.yaml", []));
        var keyed = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + "teacher:\n  base_url: local\n  api_key_env: DEEPSEEK_API_KEY\n", "pipelines/demo.yaml", []));

        Assert.True(local.Teacher.IsLocal);
        Assert.Equal("pipelines/demo.yaml:6:10: teacher.model: with teacher.base_url: local the teacher is the pipeline's own base model (preset:tiny-r1); " +
                     "remove teacher.model, or give the base_url of the endpoint that serves 'deepseek-chat'.", named.Message);
        Assert.Equal("pipelines/demo.yaml:6:16: teacher.api_key_env: the local teacher is served on loopback without keys; remove teacher.api_key_env.", keyed.Message);
    }
}
