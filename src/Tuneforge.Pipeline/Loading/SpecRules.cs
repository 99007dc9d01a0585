using System.Text.RegularExpressions;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Loading;

/// <summary>Rules that span several keys, checked after each key's own rules.</summary>
internal static partial class SpecRules
{
    public static readonly string[] CanonicalColumns = ["instruction", "input", "context", "output", "response", "system", "category", "id", "messages", "conversations", "prompt", "completion", "chosen", "rejected", "label"];
    public static readonly string[] LinearModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    static void CheckEndpoint(TeacherSpec endpoint, string path, string modelSource, Action<string, string> fail)
    {
        var role = path == "teacher" ? "teacher" : "judge";
        // A pasted key must not be echoed into the error (or a CI log): the message never shows the value.
        if (endpoint.ApiKeyEnv is { } keyEnv && !EnvironmentVariableName().IsMatch(keyEnv))
            fail($"{path}.api_key_env", "must be the name of an environment variable (like DEEPSEEK_API_KEY), not the key itself; the value is not shown. " +
                "Export the key in a variable and put the variable's name here.");
        if (endpoint.IsLocal && endpoint.Model != TeacherSpec.DefaultModel)
            fail($"{path}.model", $"with {path}.base_url: local the {role} is the pipeline's own base model ({modelSource}); remove {path}.model, or give the base_url of the endpoint that serves '{endpoint.Model}'.");
        if (endpoint.IsLocal && endpoint.ApiKeyEnv is not null)
            fail($"{path}.api_key_env", $"the local {role} is served on loopback without keys; remove {path}.api_key_env.");
    }

    static void CheckJudge(PipelineSpec spec, Action<string, string> fail)
    {
        if (spec.Judge.Endpoint is { } endpoint) CheckEndpoint(endpoint, "judge.endpoint", spec.Model.Source, fail);
        if (spec.Judge.Enabled && !spec.Evaluate.CompareBase)
            fail("judge.enabled", "the judge compares the tuned answers with the base model's; set evaluate.compare_base: true, or turn the judge off.");
    }

    static void CheckPreference(PipelineSpec spec, Action<string, string> fail)
    {
        var preference = spec.Preference;
        if (!preference.Enabled) return;
        if (spec.Train.Method == TrainMethod.Full)
            fail("preference.method", $"{Model.SpecModel.EnumName(preference.Method)} trains a LoRA adapter and compares against the base with the adapter off; set train.method to lora or qlora.");
        else if (spec.Train.Lora.ModulesToSave.Count > 0)
            fail("train.lora.modules_to_save", $"{Model.SpecModel.EnumName(preference.Method)} compares against the base with the adapter off, and trained modules cannot be switched off there; remove modules_to_save, or turn preference training off.");
        if (preference.MaxPromptLength >= preference.MaxLength)
            fail("preference.max_prompt_length", $"must be smaller than preference.max_length ({preference.MaxPromptLength} >= {preference.MaxLength}): the answer needs room.");
    }

    public static void Check(PipelineSpec spec, Action<string, string> fail)
    {
        CheckEndpoint(spec.Teacher, "teacher", spec.Model.Source, fail);
        CheckJudge(spec, fail);

        var split = spec.Split;
        var sum = split.Train + split.Val + split.Test;
        if (Math.Abs(sum - 1.0) > 1e-9)
            fail("split", $"train + val + test must sum to 1 ({split.Train} + {split.Val} + {split.Test} = {sum:0.###}).");
        if (split.Train <= 0) fail("split.train", "must be > 0: there is nothing to train on.");

        CheckColumns(spec.Data.Columns, "data.columns", fail);
        for (var i = 0; i < spec.Data.Mix.Count; i++)
            if (spec.Data.Mix[i].Columns is { } columns) CheckColumns(columns, $"data.mix[{i}].columns", fail);
        MixRules.Check(spec.Data, fail);
        if (spec.Data.Feedback is { Database: var database } && string.IsNullOrWhiteSpace(database))
            fail("data.feedback.database", "name Serve's feedback store (Serve writes artifacts/<pipeline>/serve/feedback.db), or remove data.feedback.");
        if (spec.Split.Balance is { } balance) BalanceRules.Check(balance, fail);

        if (spec.Clean.MinChars > spec.Clean.MaxChars)
            fail("clean.min_chars", $"is larger than clean.max_chars ({spec.Clean.MinChars} > {spec.Clean.MaxChars}).");
        if (spec.Clean.MinTokens > spec.Clean.MaxTokens)
            fail("clean.min_tokens", $"is larger than clean.max_tokens ({spec.Clean.MinTokens} > {spec.Clean.MaxTokens}).");

        var train = spec.Train;
        if (train.Bf16 && train.Fp16) fail("train.fp16", "bf16 and fp16 cannot both be true; choose one.");
        var modules = train.Lora.TargetModules;
        if (!(modules is ["all-linear"]))
            for (var i = 0; i < modules.Count; i++)
                if (!LinearModules.Contains(modules[i]))
                    fail($"train.lora.target_modules[{i}]", $"'{modules[i]}' is not a linear layer of these models; use all-linear or any of: {string.Join(", ", LinearModules)}.{DidYouMean.Hint(modules[i], LinearModules)}");
        if (train.LoadBestModelAtEnd && train.EvalStrategy == EvalStrategy.No)
            fail("train.load_best_model_at_end", "needs evaluation: set eval_strategy to steps or epoch.");
        if (train.EarlyStoppingPatience is not null && train.EvalStrategy == EvalStrategy.No)
            fail("train.early_stopping_patience", "needs evaluation: set eval_strategy to steps or epoch.");
        DistributedRules.Check(spec, fail);
        CheckPreference(spec, fail);

        foreach (var (metric, condition) in spec.Evaluate.Gates)
            if (!GateCondition().IsMatch(condition))
                fail($"evaluate.gates.{metric}", $"'{condition}' is not a condition; write an operator and a number, e.g. \">= 0.30\" or \"> 0\".");

        var formats = spec.Quantize.Formats;
        for (var i = 0; i < formats.Count; i++)
            if (!QuantizeSpec.KnownFormats.Contains(formats[i]))
                fail($"quantize.formats[{i}]", $"'{formats[i]}' is not a format; use any of: {string.Join(", ", QuantizeSpec.KnownFormats)}.{DidYouMean.Hint(formats[i], QuantizeSpec.KnownFormats)}");
        for (var i = 0; i < spec.Package.IncludeGguf.Count; i++)
        {
            var format = spec.Package.IncludeGguf[i];
            if (!format.StartsWith("gguf_", StringComparison.Ordinal) || !formats.Contains(format))
                fail($"package.include_gguf[{i}]", $"'{format}' must be a gguf_* format listed in quantize.formats ({string.Join(", ", formats)}).");
        }
        if (spec.Serve.Backend == "gguf" && !formats.Contains(spec.Serve.GgufFormat))
            fail("serve.gguf_format", $"'{spec.Serve.GgufFormat}' is not produced: add it to quantize.formats.");
    }

    static void CheckColumns(Dictionary<string, string> columns, string path, Action<string, string> fail)
    {
        foreach (var column in columns.Keys.Where(c => !CanonicalColumns.Contains(c)))
            fail($"{path}.{column}", $"'{column}' is not a canonical field; use one of: {string.Join(", ", CanonicalColumns)}.{DidYouMean.Hint(column, CanonicalColumns)}");
    }

    [GeneratedRegex(@"^\s*(>=|<=|==|>|<)\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")]
    public static partial Regex GateCondition();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariableName();
}
