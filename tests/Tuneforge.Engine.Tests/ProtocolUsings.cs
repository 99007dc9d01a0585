// The engine's event types live with the pipeline contracts so the build reads them without libtorch.
global using Tuneforge.Pipeline.Protocol;
