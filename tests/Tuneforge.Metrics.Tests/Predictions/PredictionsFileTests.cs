using Tuneforge.Metrics.Predictions;

namespace Tuneforge.Metrics.Tests.Predictions;

public sealed class PredictionsFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tuneforge-predictions-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Good = """{"id":"a1","category":"math","prompt":"1+1?","reference":"2","prediction":"2","prompt_tokens":5,"completion_tokens":1}""";

    private string WriteFile(params string[] lines)
    {
        var path = Path.Combine(_directory, "predictions.jsonl");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private string ErrorOf(params string[] lines)
    {
        var path = WriteFile(lines);
        var error = Assert.Throws<PredictionsFormatException>(() => PredictionsFile.Read(path));
        return error.Message.Replace(path, "predictions.jsonl");
    }

    [Fact]
    public void Reads_records_and_round_trips_through_write()
    {
        var path = WriteFile(Good, "", """{"id":7,"prompt":"p","reference":"参考","prediction":"预测","base_prediction":null,"prompt_tokens":3,"completion_tokens":2,"extra":"ignored"}""");
        var records = PredictionsFile.Read(path);
        Assert.Equal(2, records.Count);
        Assert.Equal(new PredictionRecord("7", PredictionRecord.Uncategorized, "p", "参考", "预测", null, 3, 2, null), records[1]);

        var copy = Path.Combine(_directory, "copy.jsonl");
        PredictionsFile.Write(copy, records);
        Assert.Equal(records, PredictionsFile.Read(copy));
        Assert.Contains("\"reference\":\"参考\"", File.ReadAllText(copy));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Token_counts_are_optional_as_in_predictions_made_elsewhere()
    {
        var path = WriteFile("""{"id":"v1","prompt":"退款多久到账？","reference":"1到3个工作日。","prediction":"一般1到3个工作日。"}""");
        Assert.Equal(new PredictionRecord("v1", PredictionRecord.Uncategorized, "退款多久到账？", "1到3个工作日。", "一般1到3个工作日。", null, null, null, null),
            Assert.Single(PredictionsFile.Read(path)));
    }

    [Fact]
    public void Invalid_json_names_line_and_column()
    {
        Assert.Equal(
            "predictions.jsonl:2:8: invalid JSON ('}' is an invalid start of a value): each line must be one JSON object",
            ErrorOf(Good, """{"id": }"""));
    }

    [Fact]
    public void Missing_field_names_the_field_and_what_is_required()
    {
        Assert.Equal(
            "predictions.jsonl:1: missing required field \"reference\" (each line needs id, prompt, reference, prediction; category, base_prediction and the token counts prompt_tokens, completion_tokens, base_completion_tokens are optional)",
            ErrorOf("""{"id":"a","prompt":"p","prediction":"x","prompt_tokens":1,"completion_tokens":1}"""));
    }

    [Theory]
    [InlineData("""{"id":"a","prompt":"p","reference":5,"prediction":"x","prompt_tokens":1,"completion_tokens":1}""", "predictions.jsonl:1: field \"reference\" must be a string, found 5")]
    [InlineData("""{"id":"a","prompt":"p","reference":"r","prediction":"x","prompt_tokens":"12","completion_tokens":1}""", "predictions.jsonl:1: field \"prompt_tokens\" must be a non-negative integer, found \"12\"")]
    [InlineData("""{"id":"a","prompt":"p","reference":"r","prediction":"x","prompt_tokens":1,"completion_tokens":-3}""", "predictions.jsonl:1: field \"completion_tokens\" must be a non-negative integer, found -3")]
    [InlineData("""{"id":"","prompt":"p","reference":"r","prediction":"x","prompt_tokens":1,"completion_tokens":1}""", "predictions.jsonl:1: field \"id\" must be a non-empty string or a number, found \"\"")]
    [InlineData("""["not", "an", "object"]""", "predictions.jsonl:1: expected a JSON object, found an array")]
    public void Wrong_types_are_named_with_the_value_found(string line, string expected)
    {
        Assert.Equal(expected, ErrorOf(line));
    }

    [Fact]
    public void Duplicate_ids_point_at_both_lines()
    {
        Assert.Equal("predictions.jsonl:3: duplicate id \"a1\" (first seen on line 1): ids must be unique",
            ErrorOf(Good, Good.Replace("a1", "a2"), Good));
    }

    [Fact]
    public void Base_predictions_must_be_on_every_line_or_none()
    {
        var withBase = Good.Replace("\"prediction\":\"2\"", "\"prediction\":\"2\",\"base_prediction\":\"3\"").Replace("a1", "b1");
        Assert.Equal(
            "predictions.jsonl:2: base_prediction is present here but missing on line 1: either every line has a base prediction or none does",
            ErrorOf(Good, withBase));
    }

    [Fact]
    public void Empty_or_missing_file_is_a_clear_error()
    {
        Assert.Equal("predictions.jsonl: no predictions: the file is empty (one JSON object per line expected)", ErrorOf(""));
        var missing = Path.Combine(_directory, "nope.jsonl");
        var error = Assert.Throws<PredictionsFormatException>(() => PredictionsFile.Read(missing));
        Assert.Equal($"{missing}: file not found: write it with the engine's generate step, or pass the right --predictions path", error.Message);
    }
}
