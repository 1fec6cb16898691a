using Clp.Core.Catalog;
using Clp.Core.Model;

namespace Clp.Api.Objects;

/// <summary>The monitors created with a resource or a cluster (fipw per fip, appliw per resident appli,
/// userw per cluster, ...). They carry a label naming their owner, so they go with it.</summary>
internal static class AutoMonitors
{
    /// <summary>Label on an auto-created monitor: the resource it was created for, or <c>cluster</c>.</summary>
    public const string OwnerLabel = "clp.io/auto-monitor-for";

    /// <summary>The owner label value of monitors created with the cluster (no resource has an empty name).</summary>
    public const string ClusterOwner = "";

    /// <param name="isNameTaken">Case-insensitive: a taken name gets a numbered one instead.</param>
    public static IEnumerable<Monitor> For(Resource resource, TypeCatalog catalog, Func<string, bool> isNameTaken) =>
        catalog.AutoMonitorsFor(resource.Metadata.Name, resource.Spec, isNameTaken).Select(m => Make(m.Name, m.Spec, resource.Metadata.Name));

    public static IEnumerable<Monitor> ForCluster(TypeCatalog catalog) =>
        catalog.ClusterDefaultMonitors().Select(m => Make(m.Name, m.Spec, ClusterOwner));

    public static bool IsOwnedBy(Monitor monitor, string owner) =>
        monitor.Metadata.Labels?.TryGetValue(OwnerLabel, out var value) == true
        && string.Equals(value, owner, StringComparison.OrdinalIgnoreCase);

    private static Monitor Make(string name, MonitorSpec spec, string owner) => new()
    {
        Kind = Kinds.Monitor.Kind,
        Metadata = new ObjectMeta { Name = name, Labels = new() { [OwnerLabel] = owner } },
        Spec = spec,
    };
}
