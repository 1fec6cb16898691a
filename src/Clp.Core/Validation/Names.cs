using System.Text.RegularExpressions;

namespace Clp.Core.Validation;

/// <summary>The object-name rule (DESIGN.md): 1-31 letters, digits, '-' and '_', starting with a letter
/// or digit. Names are unique per kind in a cluster, compared case-insensitively.</summary>
public static partial class Names
{
    public const int MaxLength = 31;

    public static bool IsValid(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>The form uniqueness is decided on.</summary>
    public static string Key(string name) => name.ToLowerInvariant();

    /// <summary>Adds an error for <paramref name="field"/> when <paramref name="name"/> breaks the rule.</summary>
    public static void Check(string? name, string field, ICollection<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new(field, "required", $"{field} is required"));
        }
        else if (!IsValid(name))
        {
            errors.Add(new(field, "name-format",
                $"{field} '{Truncate(name)}' must be 1-{MaxLength} letters, digits, '-' or '_', starting with a letter or digit"));
        }
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "...";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
