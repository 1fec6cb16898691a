using System.Text.RegularExpressions;

namespace Clp.Core.Validation;

/// <summary>Kubernetes-style label selector: comma-separated requirements <c>k=v</c>, <c>k==v</c>,
/// <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c> (exists), <c>!k</c> (absent).</summary>
public sealed partial class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(List<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    public static bool IsValidKey(string key) => KeyPattern().IsMatch(key);

    public static bool IsValidValue(string value) => value.Length == 0 || ValuePattern().IsMatch(value);

    public bool Matches(IReadOnlyDictionary<string, string>? labels) =>
        _requirements.All(r => r(labels ?? new Dictionary<string, string>()));

    /// <summary>Parses <paramref name="text"/>; returns false with a reason for bad syntax.</summary>
    public static bool TryParse(string? text, out LabelSelector selector, out string? error)
    {
        selector = new([]);
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var part in SplitTopLevel(text))
        {
            var req = part.Trim();
            var m = SetPattern().Match(req);
            if (m.Success)
            {
                var key = m.Groups["key"].Value;
                var values = m.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries).ToHashSet();
                if (!IsValidKey(key) || values.Any(v => !IsValidValue(v)))
                {
                    error = $"'{req}' has an invalid key or value";
                    return false;
                }

                var notIn = m.Groups["op"].Value == "notin";
                requirements.Add(l => l.TryGetValue(key, out var v) ? values.Contains(v) != notIn : notIn);
                continue;
            }

            m = EqualityPattern().Match(req);
            if (m.Success)
            {
                var key = m.Groups["key"].Value;
                var value = m.Groups["value"].Value;
                if (!IsValidKey(key) || !IsValidValue(value))
                {
                    error = $"'{req}' has an invalid key or value";
                    return false;
                }

                var negate = m.Groups["op"].Value == "!=";
                requirements.Add(l => (l.TryGetValue(key, out var v) && v == value) != negate);
                continue;
            }

            var absent = req.StartsWith('!');
            var name = absent ? req[1..].Trim() : req;
            if (!IsValidKey(name))
            {
                error = $"'{req}' is not a label requirement (k=v, k!=v, k in (a,b), k notin (a,b), k, !k)";
                return false;
            }

            requirements.Add(l => l.ContainsKey(name) != absent);
        }

        selector = new(requirements);
        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ValuePattern();

    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex SetPattern();

    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s*(?<op>==|=|!=)\s*(?<value>[^\s!=(),]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex EqualityPattern();
}
