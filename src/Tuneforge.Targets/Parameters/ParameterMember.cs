using System.Reflection;
using System.Text;

namespace Tuneforge.Targets;

/// <summary>A field or property of the build marked [Parameter].</summary>
public sealed record ParameterMember(MemberInfo Member, ParameterAttribute Attribute)
{
    public string MemberName => Attribute.Name ?? Member.Name;
    public string DashedName => Dashed(MemberName);
    public string? Description => Attribute.Description;

    public Type Type => Member switch
    {
        FieldInfo f => f.FieldType,
        PropertyInfo p => p.PropertyType,
        _ => throw new InvalidOperationException(),
    };

    public object? GetValue(object build) => Member switch
    {
        FieldInfo f => f.GetValue(build),
        PropertyInfo p => p.GetValue(build),
        _ => null,
    };

    public void SetValue(object build, object? value)
    {
        switch (Member)
        {
            case FieldInfo f: f.SetValue(build, value); break;
            case PropertyInfo p: p.SetValue(build, value); break;
        }
    }

    public static IReadOnlyList<ParameterMember> Of(Type buildType)
    {
        var members = new List<ParameterMember>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
            foreach (var member in type.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (member.GetCustomAttribute<ParameterAttribute>() is { } attribute && member is FieldInfo or PropertyInfo { CanWrite: true })
                    members.Add(new ParameterMember(member, attribute));
        return members.OrderBy(m => m.DashedName, StringComparer.Ordinal).ToList();
    }

    /// <summary>NoCache → no-cache, HFToken → hf-token.</summary>
    public static string Dashed(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary = i > 0 && char.IsUpper(c) &&
                           (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
            if (boundary) builder.Append('-');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
