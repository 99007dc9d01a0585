using System.IO.Compression;
using System.Text;
using Tuneforge.Data.Pretraining;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Tests.Pretraining;

public sealed class CorpusReaderTests : IDisposable
{
    readonly Workspace workspace = new();

    public void Dispose() => workspace.Dispose();

    string Gzip(string relativePath, string text)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return workspace.WriteBytes(relativePath, memory.ToArray());
    }

    static PretrainSpec Spec(params CorpusSourceSpec[] sources) => new() { Sources = [.. sources], MinChars = 6, HeldoutShare = 0 };

    [Fact]
    public void Sources_give_documents_in_order_with_short_ones_and_exact_duplicates_counted_and_left_out()
    {
        workspace.Write("poems/a", "床前明月光，疑是地上霜。\n%\n短\n%\n床前明月光，疑是地上霜。\n%\n");
        Gzip("docs/b.txt.gz", "1. 定义\n\n    这是第一节的内容。\n");
        workspace.WriteJsonl("more/c.jsonl", [new { text = "床前明月光，疑是地上霜。" }, new { text = "An English line of text." }]);
        var (documents, counts) = CorpusReader.Read(Spec(
            new CorpusSourceSpec { Path = "poems/*", Format = CorpusFormat.Fortune, Name = "poems", Language = "zh" },
            new CorpusSourceSpec { Path = "docs/b.txt.gz", Format = CorpusFormat.Text, Name = "docs", Language = "zh" },
            new CorpusSourceSpec { Path = "more/*.jsonl", Format = CorpusFormat.Jsonl, Name = "more", Language = "en" }), workspace.Root);

        Assert.Equal(["poems/a#1", "docs/b.txt.gz#1", "more/c.jsonl#2"], documents.Select(d => d.Id));
        Assert.Equal(["床前明月光，疑是地上霜。", "1. 定义\n这是第一节的内容。", "An English line of text."], documents.Select(d => d.Text));
        Assert.Equal([new SourceCount("poems", "zh", 1, 1, 12, 1, 1), new SourceCount("docs", "zh", 1, 1, 15, 0, 0), new SourceCount("more", "en", 1, 1, 24, 0, 1)], counts);
    }

    [Fact]
    public void A_missing_source_names_its_key_and_what_to_do()
    {
        var error = Assert.Throws<DataException>(() => CorpusReader.Read(Spec(
            new CorpusSourceSpec { Path = "missing/*.gz", Format = CorpusFormat.Man }), workspace.Root));
        Assert.StartsWith("pretrain.sources[0].path: the pattern 'missing/*.gz' matches no file", error.Message);
        Assert.Contains("Install the package", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_named_with_the_fix()
    {
        workspace.WriteBytes("gbk.txt", [0xC4, 0xE3, 0xBA, 0xC3]);   // 你好 in GBK
        var error = Assert.Throws<DataException>(() => CorpusReader.Read(Spec(new CorpusSourceSpec { Path = "gbk.txt", Format = CorpusFormat.Fortune }), workspace.Root));
        Assert.Contains("gbk.txt: not valid UTF-8", error.Message);
        Assert.Contains("iconv", error.Message);
    }

    [Fact]
    public void Prepared_sequences_hold_every_token_of_every_document_once_and_held_out_documents_never_in_training()
    {
        var lines = Enumerable.Range(0, 60).Select(i => $"{{\"text\": \"第 {i} 篇文档：退货、换货和发票的说明，编号 {i * 37}。\"}}");
        workspace.Write("corpus.jsonl", string.Join("\n", lines) + "\n");
        var tokenizer = HfTokenizer.Load(RepositoryFiles.Path("data", "tokenizers", "deepseek-r1"));
        var spec = Spec(new CorpusSourceSpec { Path = "corpus.jsonl", Format = CorpusFormat.Jsonl, Name = "c", Language = "zh" }) with { HeldoutShare = 0.2, SeqLength = 32 };
        var corpus = CorpusPreparation.Prepare(spec, workspace.Root, tokenizer);

        var (documents, _) = CorpusReader.Read(spec, workspace.Root);
        var heldOut = documents.Where(d => HeldOutSelector.IsHeldOut(d.Text, 0.2)).ToList();
        Assert.Equal(heldOut, corpus.HeldOutDocuments);
        Assert.InRange(heldOut.Count, 1, 30);
        Assert.Equal(documents.Count - heldOut.Count, corpus.TrainDocuments);
        var trainStream = documents.Except(heldOut).SelectMany(d => tokenizer.Encode(d.Text).Append(tokenizer.EosId!.Value)).ToArray();
        Assert.Equal(trainStream, corpus.TrainSequences.SelectMany(s => s.Skip(1)).ToArray());
        Assert.All(corpus.TrainSequences.Concat(corpus.HeldOutSequences), s => Assert.Equal(tokenizer.BosId, s[0]));
        Assert.Equal(trainStream.Length, corpus.TrainTokens);
        Assert.Equal(corpus.HeldOutSequences.Sum(s => s.Length - 1), corpus.HeldOutTokens);
        Assert.Equal(corpus.TrainTokens, corpus.Summary()["sources"]![0]!["train_tokens"]!.GetValue<long>());
    }
}
