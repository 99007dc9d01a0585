using Tuneforge.Pipeline.Loading;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Tests;

public class PreferenceSpecTests
{
    const string Minimal = "name: demo\ndata:\n  sources: [data/a.jsonl]\n";

    static string ErrorOf(string yaml, params string[] overrides) =>
        Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + yaml, "pipelines/demo.yaml", overrides)).Message;

    static PreferenceSpec Preference(string yaml, params string[] overrides) => SpecLoader.Parse(Minimal + yaml, "pipelines/demo.yaml", overrides).Preference;

    [Fact]
    public void Preference_training_is_off_by_default_with_the_defaults_of_trl()
    {
        var p = Preference("");
        Assert.False(p.Enabled);
        Assert.Equal((PreferenceStart.Sft, 0.1, DpoLossType.Sigmoid, 0.0, 0.5), (p.StartFrom, p.Beta, p.LossType, p.LabelSmoothing, p.SimpoGamma));
        Assert.Equal((1.0, 1.0, 512, 1024), (p.DesirableWeight, p.UndesirableWeight, p.MaxPromptLength, p.MaxLength));
    }

    [Fact]
    public void The_keys_read_with_trl_names_and_overrides()
    {
        var p = Preference("""
            preference:
              method: dpo
              start_from: base
              beta: 0.3
              loss_type: ipo
              max_prompt_length: 128
              max_length: 256
            """, "preference.beta=0.2");
        Assert.Equal((PreferenceMethod.Dpo, PreferenceStart.Base, 0.2, DpoLossType.Ipo, 128, 256), (p.Method, p.StartFrom, p.Beta, p.LossType, p.MaxPromptLength, p.MaxLength));
        Assert.Equal((PreferenceMethod.Kto, 2.0), (Preference("preference:\n  method: kto\n  undesirable_weight: 2\n") is var k ? (k.Method, k.UndesirableWeight) : default));
    }

    [Fact]
    public void Wrong_preference_settings_name_the_yaml_path()
    {
        Assert.StartsWith("pipelines/demo.yaml:5:11: preference.method: 'dpa' is not one of", ErrorOf("preference:\n  method: dpa\n"));
        Assert.Contains("preference.beta", ErrorOf("preference:\n  method: dpo\n  beta: 0\n"));
        Assert.Contains("preference.method: dpo trains a LoRA adapter and compares against the base with the adapter off; set train.method to lora or qlora.",
            ErrorOf("train:\n  method: full\npreference:\n  method: dpo\n"));
        Assert.Contains("train.lora.modules_to_save: dpo compares against the base with the adapter off, and trained modules cannot be switched off there",
            ErrorOf("train:\n  lora:\n    modules_to_save: [norm]\npreference:\n  method: dpo\n"));
        Assert.Contains("preference.max_prompt_length: must be smaller than preference.max_length (512 >= 512)",
            ErrorOf("preference:\n  method: orpo\n  max_length: 512\n"));
    }

    [Fact]
    public void Preference_training_takes_its_own_learning_rate_and_steps_and_train_s_where_unset()
    {
        var train = new TrainSpec { LearningRate = 2e-3, MaxSteps = -1, NumTrainEpochs = 12, PerDeviceTrainBatchSize = 8 };
        var own = Preference("preference:\n  method: dpo\n  learning_rate: 2.0e-4\n  max_steps: 60\n").Training(train);
        var inherited = Preference("preference:\n  method: dpo\n  num_train_epochs: 2\n").Training(train);

        Assert.Equal((2e-4, 60, 12.0, 8), (own.LearningRate, own.MaxSteps, own.NumTrainEpochs, own.PerDeviceTrainBatchSize));
        Assert.Equal((2e-3, -1, 2.0), (inherited.LearningRate, inherited.MaxSteps, inherited.NumTrainEpochs));
    }
}
