using Tuneforge.Pipeline.Loading;

namespace Tuneforge.Pipeline.Tests;

public class SpecErrorTests
{
    const string Minimal = "name: demo\ndata:\n  sources: [data/a.jsonl]\n";

    static string ErrorOf(string yaml, params string[] overrides)
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "pipelines/demo.yaml", overrides));
        return e.Message;
    }

    [Fact]
    public void An_unknown_key_names_file_line_column_and_the_closest_key()
    {
        var message = ErrorOf(Minimal + "train:\n  learnig_rate: 1e-4\n");
        Assert.Equal("pipelines/demo.yaml:5:3: train.learnig_rate: unknown key 'learnig_rate' in 'train'. Did you mean 'learning_rate'?", message);
    }

    [Fact]
    public void An_unknown_top_level_section_is_named()
    {
        var message = ErrorOf(Minimal + "trian:\n  method: lora\n");
        Assert.Equal("pipelines/demo.yaml:4:1: trian: unknown key 'trian' in the pipeline. Did you mean 'train'?", message);
    }

    [Fact]
    public void A_negative_learning_rate_is_refused_with_its_yaml_path()
    {
        var message = ErrorOf(Minimal + "train:\n  learning_rate: -0.001\n");
        Assert.Equal("pipelines/demo.yaml:5:18: train.learning_rate: must be > 0 and <= 1 (got -0.001).", message);
    }

    [Fact]
    public void Split_fractions_must_sum_to_one()
    {
        var message = ErrorOf(Minimal + "split:\n  train: 0.8\n  val: 0.1\n  test: 0.2\n");
        Assert.Equal("pipelines/demo.yaml:5:3: split: train + val + test must sum to 1 (0.8 + 0.1 + 0.2 = 1.1).", message);
    }

    [Fact]
    public void A_rank_below_one_is_refused()
    {
        var message = ErrorOf(Minimal + "train:\n  lora:\n    r: 0\n");
        Assert.Equal("pipelines/demo.yaml:6:8: train.lora.r: must be >= 1 and <= 4096 (got 0).", message);
    }

    [Fact]
    public void A_wrong_type_says_what_was_expected()
    {
        Assert.Equal("pipelines/demo.yaml:5:21: train.num_train_epochs: 'three' is not a number (write for example 2e-4 or 0.0002).",
            ErrorOf(Minimal + "train:\n  num_train_epochs: three\n"));
        Assert.Equal("pipelines/demo.yaml:5:9: train.bf16: 'yes' is not a boolean; write true or false.",
            ErrorOf(Minimal + "train:\n  bf16: yes\n"));
        Assert.Equal("pipelines/demo.yaml:5:11: train.method: 'lroa' is not one of: lora, qlora, full. Did you mean 'lora'?",
            ErrorOf(Minimal + "train:\n  method: lroa\n"));
        Assert.Equal("pipelines/demo.yaml:5:9: train.lora: expected a mapping of keys ('16' found).",
            ErrorOf(Minimal + "train:\n  lora: 16\n"));
    }

    [Fact]
    public void Bad_yaml_syntax_names_the_position()
    {
        var message = ErrorOf("name: demo\ndata:\n  sources: [a.jsonl\ntrain:\n  x: 1\n");
        Assert.StartsWith("pipelines/demo.yaml:4:", message);
        Assert.Contains("invalid YAML", message);
    }

    [Fact]
    public void Every_problem_is_listed_not_only_the_first()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + "train:\n  learnig_rate: 1\n  method: none\n", "p.yaml"));
        Assert.Equal(2, e.Errors.Count);
        Assert.StartsWith("2 problems in the pipeline spec:", e.Message);
    }

    [Fact]
    public void Missing_required_values_and_empty_files_are_explained()
    {
        Assert.Equal("pipelines/demo.yaml:1:1: the file is empty; a pipeline needs at least name and data.sources.", ErrorOf(""));
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse("name: demo\n", "p.yaml"));
        Assert.Contains(e.Errors, x => x.ToString() == "p.yaml:1:1: data.sources: needs at least 1 item.");
    }

    [Fact]
    public void Cross_key_rules_are_checked()
    {
        Assert.Equal("pipelines/demo.yaml:6:9: train.fp16: bf16 and fp16 cannot both be true; choose one.",
            ErrorOf(Minimal + "train:\n  bf16: true\n  fp16: true\n"));
        Assert.Equal("pipelines/demo.yaml:6:30: train.lora.target_modules[1]: 'v_prj' is not a linear layer of these models; use all-linear or any of: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj. Did you mean 'v_proj'?",
            ErrorOf(Minimal + "train:\n  lora:\n    target_modules: [q_proj, v_prj]\n"));
        Assert.Equal("pipelines/demo.yaml:6:13: evaluate.gates.rougeL: 'at least 0.3' is not a condition; write an operator and a number, e.g. \">= 0.30\" or \"> 0\".",
            ErrorOf(Minimal + "evaluate:\n  gates:\n    rougeL: at least 0.3\n"));
    }

    [Fact]
    public void Overrides_are_applied_and_checked_like_the_file()
    {
        var spec = SpecLoader.Parse(Minimal, "p.yaml", ["train.learning_rate=1e-4", "train.lora.target_modules=[q_proj, v_proj]", "evaluate.gates.rougeL=>= 0.3"]);
        Assert.Equal(1e-4, spec.Train.LearningRate);
        Assert.Equal(["q_proj", "v_proj"], spec.Train.Lora.TargetModules);
        Assert.Equal(">= 0.3", spec.Evaluate.Gates["rougeL"]);
        Assert.Equal("--set train.learnig_rate=1: train.learnig_rate: unknown key 'learnig_rate' in 'train'. Did you mean 'learning_rate'?",
            ErrorOf(Minimal, "train.learnig_rate=1"));
        Assert.Equal("--set train.learning_rate=-1: train.learning_rate: must be > 0 and <= 1 (got -1).",
            ErrorOf(Minimal, "train.learning_rate=-1"));
        Assert.Equal("--set train.learning_rate: an override is written key.path=value, e.g. train.learning_rate=1e-4.",
            ErrorOf(Minimal, "train.learning_rate"));
    }

    [Fact]
    public void A_single_value_is_accepted_where_a_list_is_expected()
    {
        var spec = SpecLoader.Parse(Minimal + "train:\n  lora:\n    target_modules: all-linear\n", "p.yaml");
        Assert.Equal(["all-linear"], spec.Train.Lora.TargetModules);
    }
}
