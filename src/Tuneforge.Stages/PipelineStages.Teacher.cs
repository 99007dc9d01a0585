using Tuneforge.Pipeline.Model;
using Tuneforge.Stages.Engine;
using Tuneforge.Teacher;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>The teacher as Reason's and Augment's keys hold it: endpoint (or, for a local teacher, the pipeline's model
    /// section), model and sampling; never the key or its variable's value.</summary>
    public string TeacherIdentity => Spec.Teacher.IsLocal
        ? OpenAiTeacher.LocalIdentityOf(Spec.Teacher, SpecJson.Canonical(Spec.Model))
        : OpenAiTeacher.IdentityOf(Spec.Teacher);

    /// <summary>Teacher answers, kept across runs and keyed by teacher and prompt: a killed Reason continues from there.</summary>
    string TeacherCacheDirectory => Path.Combine(rootDirectory, ".nuke", "teacher");

    /// <summary>Runs a stage's work with the pipeline's teacher; a local teacher is served by the engine for exactly that long.
    /// The teacher's and the data's errors are the user's to fix: messages, not stack traces.</summary>
    async Task<T> WithTeacher<T>(Func<CachingTeacher, Task<T>> work)
    {
        try
        {
            if (!Spec.Teacher.IsLocal) return await Ask(Spec.Teacher, identity: null);
            await using var server = await LocalTeacherServer.StartAsync(Spec, Engine, rootDirectory, cancellation);
            return await Ask(Spec.Teacher with { BaseUrl = server.BaseUrl, Model = Spec.Name }, TeacherIdentity);
        }
        catch (TeacherException e)
        {
            throw new BuildException(e.Message, e);
        }
        catch (Tuneforge.Data.DataException e)
        {
            throw new BuildException(e.Message, e);
        }

        async Task<T> Ask(Pipeline.Spec.TeacherSpec spec, string? identity)
        {
            var (teacher, connection) = Teachers.Open(spec, TeacherCacheDirectory, Environment.GetEnvironmentVariable, identity);
            using (connection) return await work(teacher);
        }
    }
}
