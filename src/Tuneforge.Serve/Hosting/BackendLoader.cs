using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.Hosting;

/// <summary>Loads the model once the server listens; given the batching it should use.</summary>
public delegate Task<IGenerationBackend> BackendLoader(BatchOptions batching, CancellationToken cancellation);
