using System.Text.Json;

namespace Clp.Client.Problems;

/// <summary>An RFC 7807 problem as clp-api writes it, with CLP's <c>violations</c> and <c>dependents</c>
/// extensions read out and every other member kept in <see cref="Extensions"/>.</summary>
public sealed class ClpProblem
{
    /// <summary>RFC 7807's type for a problem that has no more specific one.</summary>
    public const string AboutBlank = "about:blank";

    public required int Status { get; init; }

    public string Type { get; init; } = AboutBlank;

    public string? Title { get; init; }

    public string? Detail { get; init; }

    public string? Instance { get; init; }

    public IReadOnlyList<ProblemViolation> Violations { get; init; } = [];

    public IReadOnlyList<string> Dependents { get; init; } = [];

    /// <summary>Members beyond the ones above (<c>errors</c>, <c>traceId</c>, ...), as sent.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; init; } = new Dictionary<string, JsonElement>();

    internal string ToMessage()
    {
        var text = $"{Status} {Type}: {Detail ?? Title ?? "(no detail)"}";
        if (Violations.Count > 0 && Detail is null)
        {
            text += " (" + string.Join("; ", Violations.Take(5).Select(v => $"{v.Field}: {v.Message} [{v.Rule}]")) + ")";
        }

        return Dependents.Count > 0 ? $"{text} (dependents: {string.Join(", ", Dependents)})" : text;
    }
}
