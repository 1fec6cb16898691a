using Clp.Client.Api;
using Clp.Client.Watching;

namespace Clp.Client;

/// <summary>The whole native API of one clp-api: one Refit interface per OpenAPI tag, whose method names are
/// the operationIds, plus the resuming change-feed reader.</summary>
public interface IClpClient
{
    IClustersApi Clusters { get; }

    IServersApi Servers { get; }

    IServerGroupsApi ServerGroups { get; }

    IGroupsApi Groups { get; }

    IResourcesApi Resources { get; }

    IMonitorsApi Monitors { get; }

    ILicensesApi Licenses { get; }

    ILeasesApi Leases { get; }

    IOperationsApi Operations { get; }

    IEventsApi Events { get; }

    IApiKeysApi ApiKeys { get; }

    ICatalogApi Catalog { get; }

    /// <summary>The raw change feeds; <see cref="Watcher"/> is what most callers want.</summary>
    IWatchApi Watch { get; }

    ClpWatcher Watcher { get; }
}
