namespace Tuneforge.Targets;

/// <summary>Sets every [Parameter] member of the build from its sources; unknown command-line names are errors.</summary>
public static class ParameterInjector
{
    public static void Inject(object build, ParameterSources sources, string rootDirectory, IEnumerable<string> extraKnownNames)
    {
        var members = ParameterMember.Of(build.GetType());
        var known = members.Select(m => m.DashedName).Concat(extraKnownNames).ToList();
        foreach (var written in sources.Arguments.WrittenNames)
        {
            var normalized = ArgumentParser.Normalize(written);
            if (known.Any(k => ArgumentParser.Normalize(k) == normalized)) continue;
            var hint = Tuneforge.Targets.Text.DidYouMean(normalized, known) is { } s ? $" Did you mean '--{s}'?" : "";
            throw new BuildException($"Unknown parameter '{written}'.{hint} Run with --help to list the parameters.");
        }
        foreach (var member in members)
        {
            var isArray = member.Type.IsArray;
            if (sources.Find(member.MemberName, member.DashedName, isArray, member.Attribute.Separator, member.Attribute.Accumulates) is not var (values, source)) continue;
            try
            {
                member.SetValue(build, ValueConverter.Convert($"--{member.DashedName}", values, member.Type, rootDirectory));
            }
            catch (BuildException e) when (!source.StartsWith("--", StringComparison.Ordinal))
            {
                throw new BuildException($"{e.Message} (from {source})");
            }
        }
    }
}
