using System.Text.Json.Nodes;
using Clp.Core.Validation;

namespace Clp.Core.Catalog;

/// <summary>Checks parameter values against a closed schema: unknown keys, missing required keys, JSON type,
/// syntax (addresses, ports, URLs, paths), enum membership and ranges. A JSON null is a wrong type, not an
/// absent value.</summary>
internal static class ParameterValidator
{
    private const int MaxPathLength = 4096;

    public static void Validate(CatalogType type, JsonObject given, string prefix, List<ValidationError> errors)
    {
        foreach (var (name, value) in given)
        {
            var field = $"{prefix}.{name}";
            var schema = type.FindParameter(name);
            if (schema is null)
            {
                errors.Add(new(field, "unknown-parameter", $"{field} is not a parameter of type '{type.Type}'{Hint(type, name)}"));
            }
            else
            {
                CheckValue(schema, value, field, errors);
            }
        }

        foreach (var schema in type.Parameters)
        {
            if (schema.Required && !given.ContainsKey(schema.Name))
            {
                var field = $"{prefix}.{schema.Name}";
                errors.Add(new(field, "required", $"{field} is required for type '{type.Type}'"));
            }
        }
    }

    public static bool IsAbsolutePath(string value) =>
        value.Length is > 0 and <= MaxPathLength && value[0] == '/' && !value.Any(char.IsControl);

    private static string Hint(CatalogType type, string name)
    {
        var near = type.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        var known = string.Join(", ", type.Parameters.Select(p => p.Name));
        return near is not null ? $" (did you mean '{near.Name}'?)"
            : known.Length == 0 ? " (it takes no parameters)"
            : $" (known: {known})";
    }

    public static void CheckValue(ParameterSchema schema, JsonNode? value, string field, List<ValidationError> errors)
    {
        switch (schema.Type)
        {
            case ParameterType.Integer:
                if (Integer(value, field, errors) is { } n)
                {
                    Range(schema, n, field, "", errors);
                }

                break;
            case ParameterType.Port:
                if (Integer(value, field, errors) is { } port && !NetworkSyntax.IsPort(port))
                {
                    errors.Add(new(field, "port", $"{field} must be a port 1-65535, not {port}"));
                }

                break;
            case ParameterType.Boolean:
                if (!JsonValues.TryBoolean(value, out _))
                {
                    TypeError(field, "a boolean", value, errors);
                }

                break;
            case ParameterType.StringList:
            case ParameterType.IpAddressList:
                CheckList(schema, value, field, errors);
                break;
            case ParameterType.StringMap:
                CheckMap(schema, value, field, errors);
                break;
            default:
                CheckText(schema, value, field, errors);
                break;
        }
    }

    private static void CheckText(ParameterSchema schema, JsonNode? value, string field, List<ValidationError> errors)
    {
        if (!JsonValues.TryString(value, out var text))
        {
            TypeError(field, "a string", value, errors);
            return;
        }

        if (schema.Required && string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(field, "required", $"{field} must not be empty"));
            return;
        }

        var shown = Shorten(text);
        switch (schema.Type)
        {
            case ParameterType.IpAddress when !NetworkSyntax.IsIpAddress(text):
                errors.Add(new(field, "ip-address", $"{field} '{shown}' must be a literal IPv4 or IPv6 address"));
                break;
            case ParameterType.Cidr when !NetworkSyntax.IsCidr(text):
                errors.Add(new(field, "cidr", $"{field} '{shown}' must be an address with a prefix length, e.g. 10.0.0.0/24"));
                break;
            case ParameterType.Url when !NetworkSyntax.IsHttpUrl(text):
                errors.Add(new(field, "url", $"{field} '{shown}' must be an absolute http or https URL"));
                break;
            case ParameterType.Path when !IsAbsolutePath(text):
                errors.Add(new(field, "path", $"{field} '{shown}' must be an absolute path (starting with '/', at most {MaxPathLength} characters, no control characters)"));
                break;
            case ParameterType.Enum when schema.Values is null || !schema.Values.Contains(text, StringComparer.Ordinal):
                errors.Add(new(field, "enum", $"{field} '{shown}' must be one of {string.Join(", ", schema.Values ?? [])}"));
                break;
        }
    }

    private static void CheckList(ParameterSchema schema, JsonNode? value, string field, List<ValidationError> errors)
    {
        if (value is not JsonArray array)
        {
            TypeError(field, "an array", value, errors);
            return;
        }

        Range(schema, array.Count, field, " items", errors);
        for (var i = 0; i < array.Count; i++)
        {
            var itemField = $"{field}[{i}]";
            if (!JsonValues.TryString(array[i], out var item))
            {
                TypeError(itemField, "a string", array[i], errors);
            }
            else if (schema.Type == ParameterType.IpAddressList && !NetworkSyntax.IsIpAddress(item))
            {
                errors.Add(new(itemField, "ip-address", $"{itemField} '{Shorten(item)}' must be a literal IPv4 or IPv6 address"));
            }
        }
    }

    private static void CheckMap(ParameterSchema schema, JsonNode? value, string field, List<ValidationError> errors)
    {
        if (value is not JsonObject map)
        {
            TypeError(field, "an object of strings", value, errors);
            return;
        }

        Range(schema, map.Count, field, " entries", errors);
        foreach (var (key, entry) in map)
        {
            if (!JsonValues.TryString(entry, out _))
            {
                TypeError($"{field}.{key}", "a string", entry, errors);
            }
        }
    }

    private static long? Integer(JsonNode? value, string field, List<ValidationError> errors)
    {
        if (JsonValues.TryInteger(value, out var n))
        {
            return n;
        }

        TypeError(field, "an integer", value, errors);
        return null;
    }

    private static void Range(ParameterSchema schema, long n, string field, string unit, List<ValidationError> errors)
    {
        if ((schema.Minimum is { } min && n < min) || (schema.Maximum is { } max && n > max))
        {
            var bounds = (schema.Minimum, schema.Maximum) switch
            {
                ({ } lo, { } hi) => $"{lo}-{hi}",
                ({ } lo, null) => $"at least {lo}",
                (null, { } hi) => $"at most {hi}",
                _ => "",
            };
            var verb = unit.Length == 0 ? "be" : "have";
            errors.Add(new(field, "range", $"{field} must {verb} {bounds}{unit}, not {n}"));
        }
    }

    private static void TypeError(string field, string expected, JsonNode? value, List<ValidationError> errors) =>
        errors.Add(new(field, "type", $"{field} must be {expected}, not {JsonValues.Describe(value)}"));

    private static string Shorten(string s) => s.Length <= 64 ? s : s[..64] + "...";
}
