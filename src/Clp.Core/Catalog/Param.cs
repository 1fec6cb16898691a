using System.Text.Json.Nodes;

namespace Clp.Core.Catalog;

/// <summary>Terse constructors for the catalog's parameter schemas.</summary>
internal static class Param
{
    public static ParameterSchema String(string name, string description, bool required = false, string? @default = null) =>
        new(name, ParameterType.String, description, required, Node(@default));

    public static ParameterSchema Integer(string name, string description, long? @default, long? min = null, long? max = null) =>
        new(name, ParameterType.Integer, description, Default: @default is { } d ? JsonValue.Create(d) : null, Minimum: min, Maximum: max);

    public static ParameterSchema RequiredInteger(string name, string description, long? min = null, long? max = null) =>
        new(name, ParameterType.Integer, description, Required: true, Minimum: min, Maximum: max);

    public static ParameterSchema Boolean(string name, string description, bool @default) =>
        new(name, ParameterType.Boolean, description, Default: JsonValue.Create(@default));

    public static ParameterSchema IpAddress(string name, string description, bool required = false) =>
        new(name, ParameterType.IpAddress, description, required);

    public static ParameterSchema Port(string name, string description, bool required = false, int? @default = null) =>
        new(name, ParameterType.Port, description, required, @default is { } d ? JsonValue.Create(d) : null);

    public static ParameterSchema Url(string name, string description, bool required = false) =>
        new(name, ParameterType.Url, description, required);

    public static ParameterSchema Path(string name, string description, bool required = false, string? @default = null) =>
        new(name, ParameterType.Path, description, required, Node(@default));

    public static ParameterSchema Enum(string name, string description, string @default, params string[] values) =>
        new(name, ParameterType.Enum, description, Default: JsonValue.Create(@default), Values: values);

    public static ParameterSchema RequiredEnum(string name, string description, params string[] values) =>
        new(name, ParameterType.Enum, description, Required: true, Values: values);

    public static ParameterSchema StringList(string name, string description, bool required = false, long? minItems = null, long? maxItems = null) =>
        new(name, ParameterType.StringList, description, required, Minimum: minItems, Maximum: maxItems);

    public static ParameterSchema IpAddressList(string name, string description, bool required = false, long? minItems = null, long? maxItems = null) =>
        new(name, ParameterType.IpAddressList, description, required, Minimum: minItems, Maximum: maxItems);

    public static ParameterSchema StringMap(string name, string description, long? maxEntries = null) =>
        new(name, ParameterType.StringMap, description, Maximum: maxEntries);

    private static JsonValue? Node(string? value) => value is null ? null : JsonValue.Create(value);
}
