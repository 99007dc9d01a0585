using Tuneforge.Engine.Cli.CommandLine;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>Reads the build's job file for a verb, with an error that says what is wrong with it.</summary>
public static class JobFile
{
    public static EngineJob Read(string path, string verb)
    {
        EngineJob job;
        try
        {
            job = EngineJob.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new UsageException(e.Message, "The build writes job.json; see src/Tuneforge.Pipeline/Protocol/EngineJob.cs for its shape.");
        }
        if (job.Verb != verb) throw new UsageException($"{path}: the job is for '{job.Verb}', not {verb}");
        return job;
    }
}
