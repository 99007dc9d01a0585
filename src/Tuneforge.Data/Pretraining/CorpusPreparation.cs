using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Pretraining;

/// <summary>From the pretrain section to packed sequences: read and clean the sources, hold out a share of the
/// documents by their text, tokenize, and pack each part (<see cref="TokenPacker"/>). No torch: the engine only
/// turns the sequences into batches.</summary>
public static class CorpusPreparation
{
    public static PreparedCorpus Prepare(PretrainSpec spec, string root, HfTokenizer tokenizer, Action<string>? log = null)
    {
        var bos = tokenizer.BosId ?? throw new DataException($"{tokenizer.Source}: the tokenizer has no BOS token; pretraining starts every sequence with it. Use a tokenizer whose tokenizer_config.json names bos_token.");
        var eos = tokenizer.EosId ?? throw new DataException($"{tokenizer.Source}: the tokenizer has no EOS token; pretraining ends every document with it. Use a tokenizer whose tokenizer_config.json names eos_token.");
        var (documents, counts) = CorpusReader.Read(spec, root);
        if (documents.Count == 0)
            throw new DataException($"pretrain.sources: no document of at least pretrain.min_chars ({spec.MinChars}) characters was found. Check the sources and their formats.");
        log?.Invoke($"corpus: {documents.Count:N0} documents from {counts.Sum(c => c.Files):N0} files ({counts.Sum(c => c.TooShort):N0} too short, {counts.Sum(c => c.Duplicates):N0} duplicates left out)");

        var train = new List<int[]>();
        var heldOut = new List<int[]>();
        var heldOutDocuments = new List<CorpusDocument>();
        var tokens = counts.ToDictionary(c => c.Name, _ => (Train: 0L, HeldOut: 0L), StringComparer.Ordinal);
        foreach (var document in documents)
        {
            var ids = tokenizer.Encode(document.Text);
            var (t, h) = tokens[document.Source];
            if (HeldOutSelector.IsHeldOut(document.Text, spec.HeldoutShare))
            {
                heldOut.Add(ids);
                heldOutDocuments.Add(document);
                tokens[document.Source] = (t, h + ids.Length + 1);
            }
            else
            {
                train.Add(ids);
                tokens[document.Source] = (t + ids.Length + 1, h);
            }
        }
        if (train.Count == 0) throw new DataException($"pretrain.heldout_share {spec.HeldoutShare} left no document to train on; lower it.");
        return new PreparedCorpus(TokenPacker.Pack(train, bos, eos, spec.SeqLength), TokenPacker.Pack(heldOut, bos, eos, spec.SeqLength),
            heldOutDocuments, counts, tokens, train.Count);
    }
}
