using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Teacher;

/// <summary>The one way a stage gets its teacher from the pipeline: key from the environment, cache and spend limit around it.</summary>
public static class Teachers
{
    /// <param name="identity">The teacher's identity when its address does not say it (<see cref="OpenAiTeacher.LocalIdentityOf"/>).</param>
    /// <param name="yamlPath">Where the endpoint is set in the pipeline, for errors: teacher or judge.endpoint.</param>
    /// <exception cref="TeacherException">api_key_env names a variable that is not set.</exception>
    public static (CachingTeacher Teacher, IDisposable Connection) Open(TeacherSpec spec, string cacheDirectory, Func<string, string?> environment,
        string? identity = null, string yamlPath = "teacher")
    {
        string? key = null;
        if (spec.ApiKeyEnv is { } name)
        {
            key = environment(name);
            if (string.IsNullOrEmpty(key))
            {
                throw new TeacherException(
                    $"{yamlPath}.api_key_env: the environment variable {name} is not set. Export it with the key of {spec.BaseUrl} " +
                    $"(for DeepSeek, from platform.deepseek.com), or remove {yamlPath}.api_key_env for a server without keys.");
            }
        }

        var client = new OpenAiTeacher(spec, key, identity);
        return (new CachingTeacher(client, new TeacherAnswerCache(cacheDirectory), spec.MaxTotalTokens), client);
    }
}
