using Tuneforge.Data;
using Tuneforge.Data.Pretraining.Formats;
using Tuneforge.Data.Training;
using Tuneforge.Engine.Pretraining;
using Tuneforge.Engine.Runtime;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Engine.Evaluation;

/// <summary>
/// The forgetting check's documents (evaluate.forgetting): JSON-lines text read as pretraining reads it, spread over
/// all files, each encoded from its start with BOS first and cut at max_tokens; every token after the first is
/// measured. The file name is the category, so perplexity.json has a value per file.
/// </summary>
public static class GeneralText
{
    /// <param name="warn">Told when the default texts are not in the repository (a repository without data/general): the check is skipped.</param>
    /// <exception cref="EngineException">A file the pipeline names is missing, or a line is not a {"text": ...} object (file:line).</exception>
    public static IReadOnlyList<(EncodedExample Example, string File)> Load(ForgettingSpec spec, string repositoryRoot, HfTokenizer tokenizer, Action<string>? warn = null)
    {
        var documents = new List<(string Id, string Text, string File)>();
        if (spec.Texts.SequenceEqual(ForgettingSpec.ShippedTexts) && !spec.Texts.All(t => File.Exists(Path.GetFullPath(t, repositoryRoot))))
        {
            warn?.Invoke($"the forgetting check's default texts ({string.Join(", ", spec.Texts)}) are not in {repositoryRoot}: no general perplexity is measured; set evaluate.forgetting.texts, or texts: [] to silence this");
            return [];
        }
        foreach (var relative in spec.Texts)
        {
            var path = Path.GetFullPath(relative, repositoryRoot);
            if (!File.Exists(path))
                throw new EngineException($"evaluate.forgetting.texts: {relative} not found (looked in {repositoryRoot})",
                    "Give JSON-lines files of general text (one {\"text\": ...} per line), or texts: [] to turn the forgetting check off.");
            var name = Path.GetFileName(path);
            try
            {
                documents.AddRange(JsonlTextFormat.Documents(File.ReadAllText(path), relative).Select((text, i) => ($"{name}#{i + 1}", text, name)));
            }
            catch (DataException e)
            {
                throw new EngineException($"evaluate.forgetting.texts: {e.Message}", "Fix the line, or leave the file out of evaluate.forgetting.texts.");
            }
        }
        var examples = new List<(EncodedExample, string)>();
        foreach (var (id, text, file) in PretrainingSequences.Spread(documents, spec.MaxDocuments))
        {
            int[] ids = [.. tokenizer.BosId is int bos ? [bos] : Array.Empty<int>(), .. tokenizer.Encode(text)];
            if (ids.Length < 2) continue;
            examples.Add((PretrainingSequences.Examples([ids[..Math.Min(ids.Length, spec.MaxTokens)]], id)[0], file));
        }
        return examples;
    }
}
