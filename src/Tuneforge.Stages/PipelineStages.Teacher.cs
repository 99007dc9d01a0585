using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Stages.Engine;
using Tuneforge.Teacher;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>The teacher as Reason's and Augment's keys hold it: endpoint (or, for a local teacher, the pipeline's model
    /// section), model and sampling; never the key or its variable's value.</summary>
    public string TeacherIdentity => IdentityOf(Spec.Teacher);

    /// <summary>The judge as Judge's key holds it, like <see cref="TeacherIdentity"/>.</summary>
    public string JudgeIdentity => IdentityOf(JudgeTeacher);

    TeacherSpec JudgeTeacher => Spec.Judge.TeacherOf(Spec.Teacher);

    // Where the judge's endpoint is set: its own section, or the pipeline's teacher.
    string JudgeTeacherPath => Spec.Judge.Endpoint is null ? "teacher" : "judge.endpoint";

    string IdentityOf(TeacherSpec teacher) => teacher.IsLocal
        ? OpenAiTeacher.LocalIdentityOf(teacher, SpecJson.Canonical(Spec.Model))
        : OpenAiTeacher.IdentityOf(teacher);

    /// <summary>Teacher answers, kept across runs and keyed by teacher and prompt: a killed Reason continues from there.</summary>
    string TeacherCacheDirectory => Path.Combine(rootDirectory, ".nuke", "teacher");

    /// <summary>Runs a stage's work with the pipeline's teacher; a local teacher is served by the engine for exactly that long.
    /// The teacher's and the data's errors are the user's to fix: messages, not stack traces.</summary>
    Task<T> WithTeacher<T>(Func<CachingTeacher, Task<T>> work) => WithTeacher(Spec.Teacher, "teacher", work);

    /// <param name="teacher">The endpoint asked: the pipeline's teacher, or the judge's.</param>
    /// <param name="yamlPath">Where <paramref name="teacher"/> is set, for errors.</param>
    async Task<T> WithTeacher<T>(TeacherSpec teacher, string yamlPath, Func<CachingTeacher, Task<T>> work)
    {
        try
        {
            if (!teacher.IsLocal) return await Ask(teacher, identity: null);
            await using var server = await LocalTeacherServer.StartAsync(Spec with { Teacher = teacher }, Engine, rootDirectory, cancellation);
            return await Ask(teacher with { BaseUrl = server.BaseUrl, Model = Spec.Name }, IdentityOf(teacher));
        }
        catch (TeacherException e)
        {
            throw new BuildException(e.Message, e);
        }
        catch (Tuneforge.Data.DataException e)
        {
            throw new BuildException(e.Message, e);
        }

        async Task<T> Ask(TeacherSpec spec, string? identity)
        {
            var (teacher, connection) = Teachers.Open(spec, TeacherCacheDirectory, Environment.GetEnvironmentVariable, identity, yamlPath);
            using (connection) return await work(teacher);
        }
    }
}
