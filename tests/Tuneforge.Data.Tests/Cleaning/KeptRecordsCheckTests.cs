using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Cleaning;

/// <summary>clean.min_records: a Clean that keeps nothing usable (or too little) fails, saying what was rejected, why, and where.</summary>
public class KeptRecordsCheckTests
{
    [Fact]
    public void A_Clean_that_rejects_every_record_fails_with_the_counts_and_first_record_of_each_reason_and_the_rejects_file()
    {
        using var w = new Workspace();
        w.Write("d.jsonl", """
            {"instruction": "嗯", "output": "好"}
            {"instruction": "嗯", "output": "对"}
            {"instruction": " ", "output": "一个回答"}
            {"instruction": "退款多久到账？"}
            """);
        var data = Workspace.Sources("d.jsonl");
        var clean = new CleanSpec { MinChars = 4 };
        var result = w.Clean(data, clean);
        Assert.Equal((4, 0), (result.Stats.Input, result.Stats.Kept));

        var error = Assert.Throws<DataException>(() => w.CheckKept(data, clean));
        Assert.Equal(
            """
            Clean kept 0 of 4 records, fewer than clean.min_records (1): there is nothing to train on.
              Rejected, by reason (the first record of each):
                too_short           2 [clean.min_chars]  d.jsonl:1: 2 characters, fewer than clean.min_chars (4).
                empty_prompt        1  d.jsonl:3: the question is empty.
                missing_field       1  d.jsonl:4: no answer: none of the fields 'output', 'response' is present (the record has: instruction); map your field names with data.columns, e.g. columns: {instruction: question, response: answer}.
              Every rejected record, with its reason and source line: out/rejects.jsonl (summary.md beside it).
              Fix those records, or relax the setting named beside a reason, and run again.
            """.ReplaceLineEndings("\n"), error.Message);
        Assert.Equal(4, w.Rejects().Count); // nothing lost: the rejects are where the message says
    }

    [Fact]
    public void An_empty_array_file_fails_saying_no_records_were_read_from_it()
    {
        using var w = new Workspace();
        w.Write("data/empty.json", "[]\n");
        var data = Workspace.Sources("data/empty.json");
        w.Clean(data);

        var error = Assert.Throws<DataException>(() => w.CheckKept(data));
        Assert.StartsWith("Clean read no records from data.sources (data/empty.json): there is nothing to train on.", error.Message);
        Assert.Contains("a .json data file holds an array of records", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Min_records_fails_a_Clean_that_kept_fewer_and_passes_one_that_kept_enough()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [
            new { id = "a", instruction = "运费怎么算？", output = "满99元包邮。" },
            new { id = "b", instruction = "退款多久到账？", output = "1到3个工作日。" },
            new { id = "c", instruction = "退款多久到账？", output = "1到3个工作日。" },
        ]);
        var data = Workspace.Sources("d.jsonl");
        w.Clean(data, new CleanSpec { MinRecords = 3 });

        var error = Assert.Throws<DataException>(() => w.CheckKept(data, new CleanSpec { MinRecords = 3 }));
        Assert.StartsWith("Clean kept 2 of 3 records, fewer than clean.min_records (3): too few to train on.", error.Message);
        Assert.Contains("exact_duplicate       1 [clean.dedupe_exact]  d.jsonl:3:", error.Message);
        w.CheckKept(data, new CleanSpec { MinRecords = 2 });
        w.CheckKept(data);
    }
}
