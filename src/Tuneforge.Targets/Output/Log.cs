namespace Tuneforge.Targets;

/// <summary>The build's log: the console (filtered by --verbosity) and, always in full, .nuke/temp/build.log.</summary>
public static class Log
{
    static readonly object Gate = new();
    static TextWriter console = System.Console.Out;
    static TextWriter? file;

    public static Verbosity Verbosity { get; set; } = Verbosity.Normal;

    // While a live progress bar is drawn, lines go through Spectre so they print above it.
    internal static volatile bool LiveDisplayActive;
    public static IBuildHost Host { get; set; } = new TerminalHost();
    public static TextWriter Console => console;

    public static void Configure(TextWriter consoleWriter, string? logFile)
    {
        lock (Gate)
        {
            console = consoleWriter;
            file?.Dispose();
            file = null;
            if (logFile is null) return;
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            file = new StreamWriter(logFile, append: false) { AutoFlush = true };
        }
    }

    public static void Close() => Configure(System.Console.Out, null);

    public static void Debug(string message) => Write(Verbosity.Verbose, message);
    public static void Information(string message) => Write(Verbosity.Normal, message);
    public static void Warning(string message) => Write(Verbosity.Minimal, Host.FormatWarning(message));
    public static void Error(string message) => Write(Verbosity.Quiet, Host.FormatError(message, null, null));

    /// <summary>An error tied to a file position: a CI annotation where the host supports it.</summary>
    public static void Error(string message, string? file, int? line) => Write(Verbosity.Quiet, Host.FormatError(message, file, line));

    /// <summary>Always shown: headers, summaries, help.</summary>
    public static void Write(string text) => Write(Verbosity.Quiet, text);

    /// <summary>Only to the log file: stack traces of unexpected errors.</summary>
    public static void FileOnly(string text)
    {
        lock (Gate) file?.WriteLine(text);
    }

    static void Write(Verbosity level, string text)
    {
        lock (Gate)
        {
            file?.WriteLine(text);
            if (level > Verbosity) return;
            if (LiveDisplayActive) Spectre.Console.AnsiConsole.WriteLine(text);
            else console.WriteLine(text);
        }
    }
}
