using Tuneforge.Targets;

partial class Build
{
    Target Serve => _ => _
        .Description("Serves the tuned model over HTTP until Ctrl-C (OpenAI-compatible chat, /generate, /metrics, /feedback) from the cached Train or Quantize outputs (serve.backend, serve.weights)")
        .Executes(async () => ReportSummary((await Stages.Serve(Output(Tuned()), () => Output(Quantize))).ToArray()));
}
