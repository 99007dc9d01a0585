using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Tuneforge.Text;

namespace Tuneforge.Data.Feedback;

/// <summary>
/// Completions and the feedback on them, in one SQLite file (write-ahead log, so a crash loses nothing committed).
/// The file outlives the server: restart it on the same file and earlier responses can still be rated and exported.
/// </summary>
public sealed class FeedbackStore : IDisposable
{
    private const int SchemaVersion = 1;

    // Chinese stays readable in the stored conversation (the default encoder escapes it).
    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };
    private readonly SqliteConnection _connection;
    private readonly object _lock = new();

    public FeedbackStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            _connection.Open();
            Migrate();
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new InvalidOperationException($"{Path}: cannot open the feedback database: {e.Message}", e);
        }
    }

    public string Path { get; }

    public void RecordCompletion(StoredCompletion completion)
    {
        lock (_lock)
        {
            Execute("""
                INSERT INTO completions (id, created, model, route, messages, answer, reasoning, finish_reason, prompt_tokens, completion_tokens)
                VALUES ($id, $created, $model, $route, $messages, $answer, $reasoning, $finish, $prompt, $completion)
                """,
                ("$id", completion.Id), ("$created", Timestamp(completion.Created)), ("$model", completion.Model), ("$route", completion.Route),
                ("$messages", MessagesJson(completion.Messages)), ("$answer", completion.Answer), ("$reasoning", completion.Reasoning),
                ("$finish", completion.FinishReason), ("$prompt", completion.PromptTokens), ("$completion", completion.CompletionTokens));
        }
    }

    /// <summary>Stores feedback on a known response and returns its id; null when no response has that id.</summary>
    public long? AddFeedback(FeedbackEntry entry, DateTimeOffset now)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var exists = Scalar("SELECT COUNT(*) FROM completions WHERE id = $id", ("$id", entry.ResponseId));
            if (Convert.ToInt64(exists, CultureInfo.InvariantCulture) == 0) return null;
            Execute("""
                INSERT INTO feedback (response_id, rating, comment, correction, created) VALUES ($id, $rating, $comment, $correction, $created)
                """,
                ("$id", entry.ResponseId), ("$rating", entry.Rating), ("$comment", entry.Comment), ("$correction", entry.Correction), ("$created", Timestamp(now)));
            var id = Convert.ToInt64(Scalar("SELECT last_insert_rowid()"), CultureInfo.InvariantCulture);
            transaction.Commit();
            return id;
        }
    }

    public StoredCompletion? FindCompletion(string id)
    {
        lock (_lock)
        {
            using var command = Command("SELECT * FROM completions WHERE id = $id", ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadCompletion(reader) : null;
        }
    }

    /// <summary>Every rated response with its latest feedback, oldest rating first.</summary>
    public IReadOnlyList<RatedCompletion> RatedCompletions()
    {
        lock (_lock)
        {
            using var command = Command("""
                SELECT c.*, f.id AS feedback_id, f.rating, f.comment, f.correction, f.created AS rated
                FROM feedback f JOIN completions c ON c.id = f.response_id
                WHERE f.id = (SELECT MAX(id) FROM feedback WHERE response_id = f.response_id)
                ORDER BY f.id
                """);
            using var reader = command.ExecuteReader();
            var rated = new List<RatedCompletion>();
            while (reader.Read())
            {
                rated.Add(new RatedCompletion(ReadCompletion(reader), reader.GetInt64(reader.GetOrdinal("feedback_id")), reader.GetInt32(reader.GetOrdinal("rating")),
                    NullableString(reader, "comment"), NullableString(reader, "correction"), ParseTimestamp(reader.GetString(reader.GetOrdinal("rated")))));
            }
            return rated;
        }
    }

    public (long Completions, long Feedback) Counts()
    {
        lock (_lock)
        {
            return (Convert.ToInt64(Scalar("SELECT COUNT(*) FROM completions"), CultureInfo.InvariantCulture),
                Convert.ToInt64(Scalar("SELECT COUNT(*) FROM feedback"), CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Removes the oldest completions without feedback beyond <paramref name="keep"/>; returns how many.</summary>
    public int Prune(int keep)
    {
        lock (_lock)
        {
            return Execute("""
                DELETE FROM completions WHERE id IN (
                  SELECT id FROM completions c WHERE NOT EXISTS (SELECT 1 FROM feedback f WHERE f.response_id = c.id)
                  ORDER BY created DESC, rowid DESC LIMIT -1 OFFSET $keep)
                """, ("$keep", keep));
        }
    }

    public void Dispose() => _connection.Dispose();

    private void Migrate()
    {
        Execute("PRAGMA journal_mode = WAL");
        Execute("PRAGMA synchronous = NORMAL");
        Execute("PRAGMA foreign_keys = ON");
        var version = Convert.ToInt32(Scalar("PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
            throw new InvalidOperationException($"{Path}: the feedback database has schema version {version}, newer than this server's {SchemaVersion}; use a newer Tuneforge");
        if (version == SchemaVersion) return;
        using var transaction = _connection.BeginTransaction();
        Execute("""
            CREATE TABLE completions (
              id TEXT PRIMARY KEY, created TEXT NOT NULL, model TEXT NOT NULL, route TEXT NOT NULL, messages TEXT NOT NULL,
              answer TEXT NOT NULL, reasoning TEXT, finish_reason TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL)
            """);
        Execute("""
            CREATE TABLE feedback (
              id INTEGER PRIMARY KEY AUTOINCREMENT, response_id TEXT NOT NULL REFERENCES completions(id) ON DELETE CASCADE,
              rating INTEGER NOT NULL, comment TEXT, correction TEXT, created TEXT NOT NULL)
            """);
        Execute("CREATE INDEX feedback_by_response ON feedback (response_id)");
        Execute($"PRAGMA user_version = {SchemaVersion}");
        transaction.Commit();
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    private static StoredCompletion ReadCompletion(SqliteDataReader reader) => new(
        reader.GetString(reader.GetOrdinal("id")),
        ParseTimestamp(reader.GetString(reader.GetOrdinal("created"))),
        reader.GetString(reader.GetOrdinal("model")),
        reader.GetString(reader.GetOrdinal("route")),
        ParseMessages(reader.GetString(reader.GetOrdinal("messages"))),
        reader.GetString(reader.GetOrdinal("answer")),
        NullableString(reader, "reasoning"),
        reader.GetString(reader.GetOrdinal("finish_reason")),
        reader.GetInt32(reader.GetOrdinal("prompt_tokens")),
        reader.GetInt32(reader.GetOrdinal("completion_tokens")));

    private static string? NullableString(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    private static string MessagesJson(IReadOnlyList<ChatMessage> messages) =>
        new JsonArray(messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()).ToJsonString(ReadableJson);

    private static IReadOnlyList<ChatMessage> ParseMessages(string json) =>
        JsonSerializer.Deserialize<JsonArray>(json)!.Select(m => new ChatMessage(m!["role"]!.GetValue<string>(), m["content"]!.GetValue<string>())).ToList();

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTimestamp(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
