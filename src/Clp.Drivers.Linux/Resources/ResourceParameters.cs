using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Resources;

/// <summary>Reads a resource's parameters (the catalog has filled in defaults and checked shapes); a value
/// that is missing or of the wrong shape here is a <see cref="DriverException"/> naming the parameter.</summary>
internal static class ResourceParameters
{
    public static string RequiredString(this ResourceContext context, string name) =>
        context.OptionalString(name) is { Length: > 0 } value
            ? value
            : throw new DriverException($"{context.Type} {context.Resource}: parameter {name} is required");

    public static string? OptionalString(this ResourceContext context, string name) =>
        context.Parameters[name] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            var other => throw Wrong(context, name, other, "a string"),
        };

    public static int Integer(this ResourceContext context, string name, int @default) =>
        context.Parameters[name] switch
        {
            null => @default,
            JsonValue v when v.TryGetValue<int>(out var i) => i,
            JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
            var other => throw Wrong(context, name, other, "an integer"),
        };

    public static bool Boolean(this ResourceContext context, string name, bool @default) =>
        context.Parameters[name] switch
        {
            null => @default,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s, out var b) => b,
            var other => throw Wrong(context, name, other, "true or false"),
        };

    /// <summary>A string map parameter (e.g. <c>environment</c>); absent: empty.</summary>
    public static IReadOnlyDictionary<string, string> Map(this ResourceContext context, string name)
    {
        if (context.Parameters[name] is not { } node)
        {
            return new Dictionary<string, string>();
        }

        if (node is not JsonObject map)
        {
            throw Wrong(context, name, node, "an object of strings");
        }

        return map.ToDictionary(
            p => p.Key,
            p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? "",
            StringComparer.Ordinal);
    }

    private static DriverException Wrong(ResourceContext context, string name, JsonNode? value, string expected) =>
        new($"{context.Type} {context.Resource}: parameter {name} must be {expected}, not {value?.ToJsonString()}");
}
