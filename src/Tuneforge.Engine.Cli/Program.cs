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
return await EngineCli.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
