namespace Clp.Core.Validation;

/// <summary>Collects every broken rule of one object (validation reports all problems, not the first).</summary>
public sealed class ValidationContext
{
    private readonly List<ValidationError> _errors = [];

    public IReadOnlyList<ValidationError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Add(string field, string rule, string message) => _errors.Add(new(field, rule, message));

    public void AddRange(IEnumerable<ValidationError> errors) => _errors.AddRange(errors);

    public void Name(string? name, string field) => Names.Check(name, field, _errors);

    public void Range(long value, long min, long max, string field)
    {
        if (value < min || value > max)
        {
            Add(field, "range", $"{field} ({value}) must be between {min} and {max}");
        }
    }

    public void Min(long value, long min, string field)
    {
        if (value < min)
        {
            Add(field, "range", $"{field} ({value}) must be at least {min}");
        }
    }

    public void IpAddress(string? value, string field, bool required = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                Add(field, "required", $"{field} is required");
            }
        }
        else if (!NetworkSyntax.IsIpAddress(value))
        {
            Add(field, "ip-address", $"{field} '{value}' is not an IP address");
        }
    }

    public void MaxLength(string? value, int max, string field)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, "max-length", $"{field} is longer than {max} characters");
        }
    }

    /// <summary>Checks that <paramref name="name"/> names an object in <paramref name="map"/>.</summary>
    public bool Reference<T>(string? name, IReadOnlyDictionary<string, T> map, string kind, string field)
    {
        if (string.IsNullOrEmpty(name))
        {
            Add(field, "required", $"{field} is required");
            return false;
        }

        if (!map.ContainsKey(name))
        {
            Add(field, "unknown-reference", $"{field} names {kind} '{name}', which does not exist in this cluster");
            return false;
        }

        return true;
    }

    /// <summary>Checks a list for duplicates (case-insensitive).</summary>
    public void Unique(IReadOnlyList<string>? values, string field)
    {
        if (values is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < values.Count; i++)
        {
            if (!seen.Add(values[i]))
            {
                Add($"{field}[{i}]", "duplicate", $"{field}[{i}] '{values[i]}' is listed twice");
            }
        }
    }
}
