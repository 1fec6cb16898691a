using Clp.Core.Model;

namespace Clp.Core.Catalog;

/// <summary>Builds catalog entries with the invariants of the two categories filled in: resources have no
/// timings or targets; a monitor's default timing is its first allowed timing, and it requires a target when
/// its target types are restricted or it can only be active-time.</summary>
internal static class Define
{
    public static readonly MonitorTiming[] Always = [MonitorTiming.Always];
    public static readonly MonitorTiming[] Active = [MonitorTiming.Active];
    public static readonly MonitorTiming[] AlwaysOrActive = [MonitorTiming.Always, MonitorTiming.Active];

    public static CatalogType Resource(
        string type,
        string displayName,
        string description,
        ParameterSchema[] parameters,
        string? unsupported = null,
        string? license = null,
        AutoMonitor[]? autoMonitors = null,
        bool mirrorDisk = false,
        ParameterRule[]? rules = null) =>
        new(type, TypeCategory.Resource, displayName, description, unsupported is null, unsupported, license,
            [], null, false, [], parameters, autoMonitors ?? [], mirrorDisk)
        {
            Rules = rules ?? [],
        };

    public static CatalogType Monitor(
        string type,
        string displayName,
        string description,
        MonitorTiming[] timings,
        ParameterSchema[] parameters,
        string? unsupported = null,
        string? license = null,
        string[]? targetTypes = null,
        ParameterRule[]? rules = null)
    {
        targetTypes ??= [];
        var requiresTarget = targetTypes.Length > 0 || timings is [MonitorTiming.Active];
        return new(type, TypeCategory.Monitor, displayName, description, unsupported is null, unsupported, license,
            timings, timings[0], requiresTarget, targetTypes, parameters, [], false)
        {
            Rules = rules ?? [],
        };
    }
}
