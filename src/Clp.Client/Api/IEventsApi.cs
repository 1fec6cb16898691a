using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>The alert log: created, read and queried, never changed. Operations of the OpenAPI tag <c>Events</c>.</summary>
public interface IEventsApi
{
    /// <summary>Query the alert log: filters combine with AND; <paramref name="severity"/> is a comma-separated
    /// list of Info, Warning, Error; <paramref name="since"/> is inclusive, <paramref name="until"/> exclusive.</summary>
    [Get("/apis/clp/v1/clusters/{cluster}/events")]
    Task<ObjectList<Event>> ListEventsAsync(
        string cluster,
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        string? severity = null,
        string? objectKind = null,
        string? objectName = null,
        string? server = null,
        [Query(Format = "O")] DateTimeOffset? since = null,
        [Query(Format = "O")] DateTimeOffset? until = null,
        CancellationToken cancellationToken = default);

    [Post("/apis/clp/v1/clusters/{cluster}/events")]
    Task<Event> CreateEventAsync(string cluster, [Body] Event @event, bool? autoMonitors = null, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{cluster}/events/{name}")]
    Task<Event> GetEventAsync(string cluster, string name, CancellationToken cancellationToken = default);
}
