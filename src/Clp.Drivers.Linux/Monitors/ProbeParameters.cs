using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Core.Catalog;

namespace Clp.Drivers.Linux.Monitors;

/// <summary>A monitor's (or its target's) parameters with the catalog's defaults filled in, read by name.</summary>
/// <remarks>The agent hands probes the parameters as the user wrote them; the defaults come from
/// <see cref="TypeCatalog.Default"/> here, so a probe and the catalog never disagree on a default. A missing
/// required parameter or a value of the wrong kind throws <see cref="ArgumentException"/> naming it: validation
/// should have refused it, so the probe reports it as a failure, not a crash (see <see cref="Probe"/>).</remarks>
internal sealed class ProbeParameters
{
    private readonly JsonObject _values;
    private readonly string _owner;

    private ProbeParameters(JsonObject values, string owner)
    {
        _values = values;
        _owner = owner;
    }

    /// <summary>The monitor's own parameters, with the defaults of monitor type <paramref name="type"/>.</summary>
    public static ProbeParameters ForMonitor(string type, JsonObject? parameters)
    {
        var catalogType = TypeCatalog.Default.FindMonitorType(type);
        var values = catalogType is null ? (JsonObject)(parameters?.DeepClone() ?? new JsonObject()) : TypeCatalog.Default.WithDefaults(catalogType, parameters);
        return new ProbeParameters(values, $"{type} parameter");
    }

    /// <summary>The target resource's parameters, with the defaults of resource type <paramref name="type"/>.</summary>
    public static ProbeParameters ForTarget(string type, string? target, JsonObject? parameters)
    {
        if (target is null || parameters is null)
        {
            throw new ArgumentException($"the monitor has no target {type} resource (or its parameters are unknown)");
        }

        var catalogType = TypeCatalog.Default.FindResourceType(type);
        var values = catalogType is null ? (JsonObject)parameters.DeepClone() : TypeCatalog.Default.WithDefaults(catalogType, parameters);
        return new ProbeParameters(values, $"target {type} {target} parameter");
    }

    public string String(string name) =>
        OptionalString(name) ?? throw new ArgumentException($"{_owner} {name} is missing");

    public string? OptionalString(string name) => _values[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw new ArgumentException($"{_owner} {name} is not a string ({other.ToJsonString()})"),
    };

    public long Integer(string name) => _values[name] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        null => throw new ArgumentException($"{_owner} {name} is missing"),
        var other => throw new ArgumentException($"{_owner} {name} is not an integer ({other.ToJsonString()})"),
    };

    public bool Boolean(string name) => _values[name] switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        null => throw new ArgumentException($"{_owner} {name} is missing"),
        var other => throw new ArgumentException($"{_owner} {name} is not a boolean ({other.ToJsonString()})"),
    };

    public IReadOnlyList<string> StringList(string name) => _values[name] switch
    {
        JsonArray items => [.. items.Select((item, i) => item is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new ArgumentException($"{_owner} {name}[{i}] is not a string"))],
        null => throw new ArgumentException($"{_owner} {name} is missing"),
        var other => throw new ArgumentException($"{_owner} {name} is not a list ({other.ToJsonString()})"),
    };
}
