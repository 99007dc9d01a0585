using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tuneforge.Protocol;

/// <summary>
/// One line of the engine's JSON-lines protocol on stdout (ARCHITECTURE.md): <c>{"event":"log",...}</c>.
/// Free of torch types, so the build can parse them without loading libtorch.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(LogEvent), "log")]
[JsonDerivedType(typeof(ProgressEvent), "progress")]
[JsonDerivedType(typeof(ArtifactEvent), "artifact")]
[JsonDerivedType(typeof(TokenEvent), "token")]
[JsonDerivedType(typeof(ResultEvent), "result")]
[JsonDerivedType(typeof(ErrorEvent), "error")]
[JsonDerivedType(typeof(StepEvent), "step")]
[JsonDerivedType(typeof(EvalEvent), "eval")]
[JsonDerivedType(typeof(CheckpointEvent), "checkpoint")]
public abstract record EngineEvent;

/// <summary>A message for the person watching; <paramref name="Level"/> is info, warning or debug.</summary>
public sealed record LogEvent(string Message, string Level = "info") : EngineEvent;

/// <summary>How far a long stage is: <paramref name="Current"/> of <paramref name="Total"/> <paramref name="Unit"/>.</summary>
public sealed record ProgressEvent(string Stage, long Current, long Total, string? Unit = null) : EngineEvent;

/// <summary>A file the verb wrote; <paramref name="Kind"/> says what it is (model, weights, generations, ...).</summary>
public sealed record ArtifactEvent(string Path, string Kind, long? Bytes = null) : EngineEvent;

/// <summary>One generated token, streamed as it is produced.</summary>
public sealed record TokenEvent(int Sequence, int Step, int TokenId, string? Text) : EngineEvent;

/// <summary>The verb's outcome; <paramref name="Data"/> is verb-specific JSON.</summary>
public sealed record ResultEvent(string Verb, JsonObject Data) : EngineEvent;

/// <summary>A failure: what went wrong and what to do about it. The process then exits non-zero.</summary>
public sealed record ErrorEvent(string Message, string? Hint = null, string? Code = null) : EngineEvent;

/// <summary>One optimizer step of training (every logging_steps): what the progress line and loss curve show.</summary>
public sealed record StepEvent(int Step, int TotalSteps, double Epoch, double Loss, double Lr, double? GradNorm = null,
    double? TokensPerS = null, double? EtaS = null) : EngineEvent;

/// <summary>A validation-loss measurement during training.</summary>
public sealed record EvalEvent(int Step, double EvalLoss) : EngineEvent;

/// <summary>A checkpoint written atomically at <paramref name="Path"/> (resumable from there).</summary>
public sealed record CheckpointEvent(int Step, string Path, double? EvalLoss = null) : EngineEvent;
