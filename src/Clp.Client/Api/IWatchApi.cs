using Refit;

namespace Clp.Client.Api;

/// <summary>The raw change feeds (Server-Sent Events) of the OpenAPI tag <c>Watch</c>. Each answers the
/// response as it came, headers read and body unread, error statuses included: call
/// <see cref="ClpResponseExtensions.EnsureClpSuccessAsync"/> to throw the typed problem, and dispose the
/// response. Resume after a resourceVersion with <c>resourceVersion</c> or <c>Last-Event-ID</c>; a 410
/// (<see cref="Problems.ClpGoneException"/>) means it is older than the retained history. Most callers want
/// <see cref="Watching.ClpWatcher"/>, which resumes, relists and parses.</summary>
public interface IWatchApi
{
    [Get("/apis/clp/v1/watch/clusters")]
    Task<HttpResponseMessage> WatchClustersAsync(
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    /// <summary>Every kind in the cluster: the one stream an agent needs.</summary>
    [Get("/apis/clp/v1/watch/clusters/{cluster}")]
    Task<HttpResponseMessage> WatchClusterAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/servers")]
    Task<HttpResponseMessage> WatchServersAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/servergroups")]
    Task<HttpResponseMessage> WatchServerGroupsAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/groups")]
    Task<HttpResponseMessage> WatchGroupsAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/resources")]
    Task<HttpResponseMessage> WatchResourcesAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/monitors")]
    Task<HttpResponseMessage> WatchMonitorsAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/licenses")]
    Task<HttpResponseMessage> WatchLicensesAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/operations")]
    Task<HttpResponseMessage> WatchOperationsAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/events")]
    Task<HttpResponseMessage> WatchEventsAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/leases")]
    Task<HttpResponseMessage> WatchLeasesAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/watch/clusters/{cluster}/apikeys")]
    Task<HttpResponseMessage> WatchApiKeysAsync(
        string cluster,
        string? resourceVersion = null,
        [Header("Last-Event-ID")] string? lastEventId = null,
        CancellationToken cancellationToken = default);
}
