using Tuneforge.Engine.Generation;
using Tuneforge.Engine.Models;
using Tuneforge.Text;

namespace Tuneforge.Engine.Quantization.Quality;

/// <summary>Greedy answers (stopping where <see cref="StopTokens"/> says for the model in <c>modelDirectory</c>) of a model to the examples' prompts, reasoning (&lt;think&gt;…&lt;/think&gt;) split off, as the evaluation scores them.</summary>
public static class AnswerGenerator
{
    public static IReadOnlyList<string> Answer(CausalLM model, string? modelDirectory, HfTokenizer tokenizer, IChatTemplate template, ChatRenderOptions renderOptions, IReadOnlyList<QualityExample> examples,
        int maxNewTokens, int batchSize, Action<int, int>? onBatch = null, CancellationToken cancellation = default)
    {
        var options = new GenerationOptions
        {
            MaxNewTokens = maxNewTokens,
            DoSample = false,
            EosTokenIds = StopTokens.Resolve(model.Config, modelDirectory, tokenizer, template),
            StopStrings = template.StopStrings,
            PadTokenId = PaddingToken.For(tokenizer),
        };
        var generator = new TextGenerator(model, ids => tokenizer.Decode(ids));
        var answers = new List<string>(examples.Count);
        for (var start = 0; start < examples.Count; start += batchSize)
        {
            var batch = examples.Skip(start).Take(batchSize).Select(e => (IReadOnlyList<int>)e.Prompt).ToList();
            foreach (var sequence in generator.Generate(batch, options, cancellation: cancellation))
                answers.Add(template.SplitReasoning(sequence.Text ?? "", renderOptions).Answer.Trim());
            onBatch?.Invoke(Math.Min(start + batchSize, examples.Count), examples.Count);
        }
        return answers;
    }
}
