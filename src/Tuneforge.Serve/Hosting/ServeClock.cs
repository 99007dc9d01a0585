namespace Tuneforge.Serve.Hosting;

/// <summary>When the server started (the <c>created</c> time of the model it lists).</summary>
public sealed record ServeClock(DateTimeOffset Started);
