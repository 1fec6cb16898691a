namespace Clp.Core.Catalog;

/// <summary>A monitor created together with a resource of the owning type. Its name is
/// <c>{NamePrefix}-{resource}</c>, shortened with a stable hash of the resource name when that would exceed
/// the 31-character name rule (see <see cref="TypeCatalog.AutoMonitorsFor(string, Model.ResourceSpec)"/>).</summary>
/// <param name="MonitorType">A monitor type id of the same catalog.</param>
public sealed record AutoMonitor(string MonitorType, string NamePrefix)
{
    /// <summary>When set, the monitor is created only if this Boolean parameter of the resource is true (its
    /// default applies when absent), e.g. <c>resident</c> for appli. Null: always created.</summary>
    public string? OnlyWhenTrue { get; init; }
}
