using Tuneforge.Engine.Cli;
using Tuneforge.Engine.Cli.Lifetime;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
ParentWatch.Start(Console.Error);
Console.OutputEncoding = System.Text.Encoding.UTF8;
// People at a terminal read text; the build and other programs read stdout through a pipe and get JSON lines.
return await EngineCli.RunAsync(args, Console.Out, Console.Error, cancellation.Token,
    Console.IsOutputRedirected ? Tuneforge.Engine.Protocol.EventFormat.Json : Tuneforge.Engine.Protocol.EventFormat.Text);
