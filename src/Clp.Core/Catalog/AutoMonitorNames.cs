using System.Globalization;
using System.Text;
using Clp.Core.Validation;

namespace Clp.Core.Catalog;

/// <summary>Names of automatically created monitors: <c>{prefix}-{resource}</c>; when that exceeds
/// <see cref="Names.MaxLength"/>, the resource part is cut and followed by <c>-</c> and 6 hex digits of a
/// stable hash (FNV-1a) of the resource's case-insensitive name, so two long resource names sharing a
/// beginning still get distinct monitor names.</summary>
internal static class AutoMonitorNames
{
    private const int HashDigits = 6;

    public static string For(string prefix, string resourceName)
    {
        var name = $"{prefix}-{resourceName}";
        if (name.Length <= Names.MaxLength)
        {
            return name;
        }

        var keep = Names.MaxLength - prefix.Length - 2 - HashDigits;
        return $"{prefix}-{resourceName[..keep]}-{Hash(Names.Key(resourceName))}";
    }

    /// <summary>The first of <paramref name="candidate"/>, then <c>-2</c>, <c>-3</c>, ... (the base shortened
    /// to keep within the name rule) that <paramref name="isTaken"/> refuses.</summary>
    public static string Unique(string candidate, Func<string, bool> isTaken)
    {
        if (!isTaken(candidate))
        {
            return candidate;
        }

        for (var i = 2; ; i++)
        {
            var suffix = "-" + i.ToString(CultureInfo.InvariantCulture);
            var stem = candidate.Length + suffix.Length > Names.MaxLength ? candidate[..(Names.MaxLength - suffix.Length)] : candidate;
            var name = stem + suffix;
            if (!isTaken(name))
            {
                return name;
            }
        }
    }

    private static string Hash(string key)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (hash & 0xFFFFFF).ToString("x6", CultureInfo.InvariantCulture);
    }
}
