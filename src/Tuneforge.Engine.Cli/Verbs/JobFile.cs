using Tuneforge.Engine.Cli.CommandLine;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>Reads the build's job file for a verb, with an error that says what is wrong with it.</summary>
public static class JobFile
{
    public static EngineJob Read(string path, string verb)
    {
        try
        {
            return EngineJob.Read(path, verb);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new UsageException(e.Message, "The build writes job.json through src/Tuneforge.Protocol (one file per stage under Stages/); see docs/architecture.md.");
        }
    }
}
