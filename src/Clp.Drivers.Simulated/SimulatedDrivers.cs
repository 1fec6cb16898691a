using Clp.Core.Catalog;
using Clp.Core.Drivers;

namespace Clp.Drivers.Simulated;

/// <summary>SIMULATION: a simulated driver for every supported resource type and a simulated probe for every
/// supported monitor type of the catalog, for one simulated server.</summary>
public static class SimulatedDrivers
{
    public static IReadOnlyList<IResourceDriver> ResourceDrivers(string server, SimulatedWorld world, TimeProvider time, TimeSpan delay = default) =>
        [.. TypeCatalog.Default.ResourceTypes.Where(t => t.Supported).Select(t => new SimulatedResourceDriver(t.Type, server, world, time, delay))];

    public static IReadOnlyList<IMonitorProbe> MonitorProbes(string server, SimulatedWorld world) =>
        [.. TypeCatalog.Default.MonitorTypes.Where(t => t.Supported).Select(t => new SimulatedMonitorProbe(t.Type, server, world))];
}
