using System.Text.Json.Nodes;
using Clp.Core.Model;
using Clp.Core.Validation;

namespace Clp.Core.Catalog;

/// <summary>The closed set of resource and monitor types, their parameter schemas, and the monitors created
/// with resources and clusters.</summary>
/// <remarks>Validation here covers parameters only; refusing unsupported types (<see cref="CatalogType.Supported"/>),
/// unlicensed types, timings and monitor targets is the object validator's job, with the data of
/// <see cref="CatalogType"/>. Both lists are ordered by id.</remarks>
public sealed class TypeCatalog
{
    private const string UserwName = "userw";

    private readonly Dictionary<string, CatalogType> resources;
    private readonly Dictionary<string, CatalogType> monitors;

    /// <exception cref="InvalidOperationException">The entries break a catalog invariant (duplicate or
    /// malformed id, wrong category, an auto monitor of an unknown type, ...).</exception>
    internal TypeCatalog(IEnumerable<CatalogType> resourceTypes, IEnumerable<CatalogType> monitorTypes)
    {
        ResourceTypes = [.. resourceTypes.OrderBy(t => t.Type, StringComparer.Ordinal)];
        MonitorTypes = [.. monitorTypes.OrderBy(t => t.Type, StringComparer.Ordinal)];
        resources = Index(ResourceTypes, TypeCategory.Resource);
        monitors = Index(MonitorTypes, TypeCategory.Monitor);
        CatalogInvariants.Check(this);
    }

    /// <summary>CLUSTERPRO X's types with CLP's Linux support, plus CLP's own tcpw.</summary>
    public static TypeCatalog Default { get; } = new(
        BuiltInResourceTypes.All,
        BuiltInMonitorTypes.Supported.Concat(UnsupportedMonitorTypes.All));

    public IReadOnlyList<CatalogType> ResourceTypes { get; }

    public IReadOnlyList<CatalogType> MonitorTypes { get; }

    /// <summary>Exact, case-sensitive match on the lower-case id; null when unknown.</summary>
    public CatalogType? FindResourceType(string type) => resources.GetValueOrDefault(type);

    /// <summary>Exact, case-sensitive match on the lower-case id; null when unknown.</summary>
    public CatalogType? FindMonitorType(string type) => monitors.GetValueOrDefault(type);

    /// <summary>Checks <paramref name="parameters"/> (null = none) against the closed schema of
    /// <paramref name="type"/>, then its type-specific rules on the parameters with defaults applied. Every
    /// problem is reported, each with field <c>{fieldPrefix}.{name}</c> (<c>[i]</c> for list items,
    /// <c>.{key}</c> for map entries). Rules: unknown-parameter, required, type (a JSON null is a wrong type,
    /// not an absence), ip-address, cidr, port, url, path, enum, range, and the type rules
    /// required-when-non-resident, environment-variable-name, user-name (appli), systemd-unit-name (service),
    /// mount-point (sd), unicast-address (fip), interface-name (fip, miiw).</summary>
    public IReadOnlyList<ValidationError> ValidateParameters(CatalogType type, JsonObject? parameters, string fieldPrefix = "spec.parameters")
    {
        ArgumentNullException.ThrowIfNull(type);
        var given = parameters ?? [];
        var errors = new List<ValidationError>();
        ParameterValidator.Validate(type, given, fieldPrefix, errors);
        if (type.Rules.Count > 0)
        {
            var effective = WithDefaults(type, given);
            foreach (var rule in type.Rules)
            {
                rule(effective, fieldPrefix, errors);
            }
        }

        return errors;
    }

    /// <summary>A new object (deep copies; the inputs are not modified): every given parameter, unknown ones
    /// and explicit nulls included, plus the default of each absent optional parameter that has one.</summary>
    public JsonObject WithDefaults(CatalogType type, JsonObject? parameters)
    {
        ArgumentNullException.ThrowIfNull(type);
        var result = new JsonObject();
        foreach (var (name, value) in parameters ?? [])
        {
            result[name] = value?.DeepClone();
        }

        foreach (var parameter in type.Parameters)
        {
            if (!parameter.Required && parameter.Default is not null && !result.ContainsKey(parameter.Name))
            {
                result[parameter.Name] = parameter.Default.DeepClone();
            }
        }

        return result;
    }

    /// <summary>The monitors to create with a resource named <paramref name="resourceName"/>: one per
    /// <see cref="CatalogType.AutoMonitors"/> entry whose condition holds (appliw only for a resident appli),
    /// with the monitor type's default timing, target and recovery target the resource, other settings at
    /// their defaults, and the type's default parameters. Names are <c>{prefix}-{resource}</c>, made to fit
    /// 31 characters with a hash of the resource name. Empty for an unknown resource type.</summary>
    /// <exception cref="ArgumentException"><paramref name="resourceName"/> breaks the name rule.</exception>
    public IReadOnlyList<(string Name, MonitorSpec Spec)> AutoMonitorsFor(string resourceName, ResourceSpec resource) =>
        AutoMonitorsFor(resourceName, resource, static _ => false);

    /// <summary>As <see cref="AutoMonitorsFor(string, ResourceSpec)"/>, but a name <paramref name="isNameTaken"/>
    /// accepts (compare case-insensitively, as names are unique that way) gets a <c>-2</c>, <c>-3</c>, ... suffix.</summary>
    public IReadOnlyList<(string Name, MonitorSpec Spec)> AutoMonitorsFor(string resourceName, ResourceSpec resource, Func<string, bool> isNameTaken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(isNameTaken);
        if (!Names.IsValid(resourceName))
        {
            throw new ArgumentException($"'{resourceName}' is not a valid resource name", nameof(resourceName));
        }

        if (FindResourceType(resource.Type) is not { } type)
        {
            return [];
        }

        var effective = WithDefaults(type, resource.Parameters);
        var created = new List<(string Name, MonitorSpec Spec)>();
        foreach (var auto in type.AutoMonitors)
        {
            if (auto.OnlyWhenTrue is { } flag && !(JsonValues.TryBoolean(effective[flag], out var on) && on))
            {
                continue;
            }

            var monitorType = monitors[auto.MonitorType];
            var name = AutoMonitorNames.Unique(
                AutoMonitorNames.For(auto.NamePrefix, resourceName),
                n => isNameTaken(n) || created.Exists(c => Names.Key(c.Name) == Names.Key(n)));
            created.Add((name, new MonitorSpec
            {
                Description = $"Created with {type.Type} resource {resourceName}.",
                Type = monitorType.Type,
                Timing = monitorType.DefaultTiming,
                Target = resourceName,
                Recovery = new MonitorRecovery { TargetKind = RecoveryTargetKind.Resource, Target = resourceName },
                Parameters = WithDefaults(monitorType, null),
            }));
        }

        return created;
    }

    /// <summary>The monitors created with a new cluster: <c>userw</c> (timer method, every 3 s as CLUSTERPRO's
    /// userw), recovery on the local server with no restart, no failover and no final action: a stall is
    /// reported, and the lease fence is what protects the data.</summary>
    public IReadOnlyList<(string Name, MonitorSpec Spec)> ClusterDefaultMonitors()
    {
        var userw = monitors[UserwName];
        return
        [
            (UserwName, new MonitorSpec
            {
                Description = "Created with the cluster: detects stalls of the agent.",
                Type = userw.Type,
                Timing = userw.DefaultTiming,
                IntervalSeconds = 3,
                Recovery = new MonitorRecovery
                {
                    TargetKind = RecoveryTargetKind.LocalServer,
                    RestartCount = 0,
                    FailoverCount = 0,
                    FinalAction = FinalAction.None,
                },
                Parameters = WithDefaults(userw, null),
            }),
        ];
    }

    private static Dictionary<string, CatalogType> Index(IReadOnlyList<CatalogType> types, TypeCategory category)
    {
        var index = new Dictionary<string, CatalogType>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (type.Category != category)
            {
                throw new InvalidOperationException($"Catalog type '{type.Type}' is a {type.Category}, listed as a {category}");
            }

            if (!index.TryAdd(type.Type, type))
            {
                throw new InvalidOperationException($"Catalog type '{type.Type}' is listed twice");
            }
        }

        return index;
    }
}
