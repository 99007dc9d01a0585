using Tuneforge.Teacher;
using Tuneforge.Teacher.Reasoning;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>The teacher as Reason's key holds it: endpoint, model and sampling; never the key or its variable's value.</summary>
    public string TeacherIdentity => OpenAiTeacher.IdentityOf(Spec.Teacher);

    /// <summary>Teacher answers, kept across runs and keyed by teacher and prompt: a killed Reason continues from there.</summary>
    string TeacherCacheDirectory => Path.Combine(rootDirectory, ".nuke", "teacher");

    public async Task<StageSummary> Reason(string splitDirectory, string outputDirectory)
    {
        try
        {
            var (teacher, connection) = Teachers.Open(Spec.Teacher, TeacherCacheDirectory, Environment.GetEnvironmentVariable);
            using (connection)
            {
                var (report, elapsed) = await ReasonRun.RunAsync(Spec.Reason, teacher, splitDirectory, outputDirectory, cancellation);
                int asked = report.Records - report.HadReasoning;
                Log.Information($"Reason: {report.Accepted} of {asked} records got an accepted trace ({report.Samples} samples, " +
                    $"{report.FromCache} from the teacher cache, {report.TokensSpent} tokens) in {elapsed.TotalSeconds:0.0} s");
                return StageSummary.Of(
                    ("accepted", $"{report.Accepted}/{asked}"),
                    ("rate", Number(report.AcceptanceRate, "0.00")),
                    ("tokens", report.TokensSpent.ToString()),
                    ("records_per_s", Number(elapsed.TotalSeconds > 0 ? asked / elapsed.TotalSeconds : null, "0.00")));
            }
        }
        catch (TeacherException e)
        {
            throw new BuildException(e.Message, e);
        }
        catch (Tuneforge.Data.DataException e)
        {
            throw new BuildException(e.Message, e);
        }
    }
}
