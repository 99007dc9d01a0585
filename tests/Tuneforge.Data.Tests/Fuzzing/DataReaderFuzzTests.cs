using System.Text;
using Tuneforge.Data.Cleaning;
using Tuneforge.Data.Reading;
using Tuneforge.Pipeline.Spec;
using Tuneforge.TestSupport.Fuzzing;
using Xunit.Abstractions;

namespace Tuneforge.Data.Tests.Fuzzing;

/// <summary>Thousands of seeded mutations of JSONL and JSON-array data files through the readers and the record mapping
/// (what Clean does with each record): every record is mapped or rejected with a reason, or the file is refused with a
/// <see cref="DataException"/> naming file:line:column; nothing crashes, hangs or allocates beyond the file's size.</summary>
public sealed class DataReaderFuzzTests(ITestOutputHelper output)
{
    static readonly string[] SampleLines = [.. File.ReadLines(RepositoryFiles.Path("data", "samples", "support-zh.jsonl")).Take(12),
        """{"id": "m1", "messages": [{"role": "system", "content": "你是客服。"}, {"role": "user", "content": "运费多少？"}, {"role": "assistant", "content": "满99元包邮。"}]}""",
        """{"instruction": "翻译", "input": "hello", "output": "你好", "category": "其他"}"""];

    [Fact]
    public void Jsonl_files_are_read_or_refused_with_a_DataException()
    {
        var seed = Encoding.UTF8.GetBytes(string.Join("\n", SampleLines) + "\n");
        var report = Campaign("data JSONL", "data.jsonl", seed);
        output.WriteLine(report.Describe());
        Assert.True(report.Findings == 0, report.Describe());
        Assert.True(report.Accepted > report.Cases / 20 && report.TypedErrors > report.Cases / 2, report.Summary);
    }

    [Fact]
    public void Json_array_files_are_read_or_refused_with_a_DataException()
    {
        var seed = Encoding.UTF8.GetBytes("[\n" + string.Join(",\n", SampleLines) + "\n]\n");
        var report = Campaign("data JSON array", "data.json", seed);
        output.WriteLine(report.Describe());
        Assert.True(report.Findings == 0, report.Describe());
        Assert.True(report.Accepted > report.Cases / 20 && report.TypedErrors > report.Cases / 2, report.Summary);
    }

    static FuzzReport Campaign(string reader, string fileName, byte[] seed) =>
        new FuzzCampaign(reader, [seed], e => e is DataException) { FileName = fileName }.Run(path =>
        {
            var (data, clean) = (new DataSpec { Sources = [path] }, new CleanSpec());
            var near = new Tuneforge.Data.Cleaning.Dedupe.NearDuplicateIndex(clean.NearDedupe.Threshold, Tuneforge.Data.Cleaning.Dedupe.LshParameters.For(clean.NearDedupe.Threshold, clean.NearDedupe.NumPerm));
            var preparer = new RecordPreparer(clean, null, near);
            foreach (var raw in DatasetReader.Read(InputSet.All(data, Path.GetDirectoryName(path)!)))
            {
                var prepared = preparer.Prepare(raw);
                if (prepared.FatalError is not null) throw new DataException(prepared.FatalError);
            }
        });
}
