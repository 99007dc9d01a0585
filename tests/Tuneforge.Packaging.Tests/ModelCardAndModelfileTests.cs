using Tuneforge.Text;
using System.IO.Compression;
using Tuneforge.Packaging.Ollama;

namespace Tuneforge.Packaging.Tests;

public sealed class ModelCardAndModelfileTests
{
    [Fact]
    public void Model_card_reports_base_model_data_hyperparameters_metrics_and_formats()
    {
        using var fixture = new ReleaseFixture();
        var result = ReleasePackager.Build(fixture.Request(fixture.Path_("dist"), "gguf_q4_0"));
        using var zip = ZipFile.OpenRead(result.ArchivePath);
        var card = new StreamReader(zip.GetEntry("MODEL_CARD.md")!.Open()).ReadToEnd();

        Assert.StartsWith("---\nbase_model: \"preset:tiny-r1\"\nlibrary_name: peft\nlicense: apache-2.0\n", card);
        Assert.Contains("# support-bot 1.2.0", card);
        Assert.Contains("Clean read 833 records and kept 674; rejected 159 (near duplicate: 142, exact duplicate: 17).", card);
        Assert.Contains("Split (seed 42): train 539, validation 68, test 67.", card);
        Assert.Contains("| 发票 | 92 | 12 | 11 |", card);
        Assert.Contains("| LoRA r, lora_alpha, lora_dropout | 16, 32, 0.05 |", card);
        Assert.Contains("| final training loss | 3.25 |", card);
        Assert.Contains("| metric | base | tuned | tuned − base (95% CI) |", card);
        Assert.Contains("| rougeL |", card);
        Assert.Contains("| gguf_q4_0 | 0.3 MiB | 13.1 | -0.05 |", card);
        Assert.Contains("Customer support drafts.", card);
        Assert.Contains("Sample data only.", card);
        Assert.Contains("ollama create support-bot-q4_0 -f Modelfile.q4_0", card);
        Assert.Contains("2 test examples, greedy decoding, at most 256 new tokens. Answers at other sampling settings", card);
        var modelfile = new StreamReader(zip.GetEntry("gguf/Modelfile.q4_0")!.Open()).ReadToEnd();
        Assert.Contains("PARAMETER temperature 0\n", modelfile);   // greedy, as evaluated
        Assert.DoesNotContain("top_p", modelfile);
    }

    [Fact]
    public void Deepseek_modelfile_renders_turns_as_training_did_and_stops_on_the_markers()
    {
        var text = OllamaModelfile.Write("bot-q4_0.gguf", ChatTemplateText.Of(ChatTemplates.Get("deepseek-r1")), null, 0.6, 0.95);
        Assert.Contains("FROM ./bot-q4_0.gguf\n", text);
        Assert.Contains("<｜User｜>{{ .Content }}", text);
        Assert.Contains("<｜Assistant｜>{{ .Content }}{{ if not $last }}<｜end▁of▁sentence｜>{{ end }}", text);
        Assert.Contains("<｜Assistant｜><think>\n{{ end }}", text);     // the generation prompt opens <think> as in training
        Assert.DoesNotContain("begin▁of▁sentence｜>{{", text);           // llama.cpp adds BOS itself
        foreach (var stop in new[] { "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<｜begin▁of▁sentence｜>" })
            Assert.Contains($"PARAMETER stop \"{stop}\"\n", text);
        Assert.Contains("PARAMETER temperature 0.6\n", text);
        Assert.Contains("PARAMETER top_p 0.95\n", text);
    }

    [Theory]
    [InlineData("chatml", "<|im_start|>assistant\n", "<|im_end|>")]
    [InlineData("llama3", "<|start_header_id|>assistant<|end_header_id|>\n\n", "<|eot_id|>")]
    public void Other_templates_open_the_assistant_turn_and_stop_on_its_end(string template, string opening, string stop)
    {
        var text = OllamaModelfile.Write("m.gguf", ChatTemplateText.Of(ChatTemplates.Get(template)), "Be brief.", null, null);
        Assert.Contains(opening + "{{ end }}", text);
        Assert.Contains($"PARAMETER stop \"{stop}\"\n", text);
        Assert.Contains("SYSTEM \"\"\"Be brief.\"\"\"\n", text);
    }

    [Fact]
    public void A_model_trained_without_think_blocks_gets_a_generation_prompt_without_one()
    {
        var noThink = new ChatRenderOptions { WhenNoReasoning = MissingReasoning.NoThinkBlock };
        var text = OllamaModelfile.Write("m.gguf", ChatTemplateText.Of(ChatTemplates.Get("deepseek-r1"), noThink), null, null, null);

        Assert.Contains("<｜Assistant｜>{{ end }}", text);
        Assert.DoesNotContain("<think>", text);
    }

    [Fact]
    public void A_checkpoints_own_template_is_left_to_the_ggufs_metadata_and_stops_on_its_end_of_turn()
    {
        const string own = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
        var text = OllamaModelfile.Write("m.gguf", own, null, null, null);

        Assert.DoesNotContain("TEMPLATE", text.Replace("# TEMPLATE: the GGUF's tokenizer.chat_template", "", StringComparison.Ordinal));
        Assert.Contains("# TEMPLATE: the GGUF's tokenizer.chat_template, the Jinja template the model was trained with\n", text);
        Assert.Equal(["<|im_end|>"], text.Split('\n').Where(l => l.StartsWith("PARAMETER stop", StringComparison.Ordinal)).Select(l => l[16..^1]));
    }
}
