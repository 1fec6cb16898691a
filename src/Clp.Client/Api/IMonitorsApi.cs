using System.Text.Json.Nodes;
using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>Monitor resources; <c>status.servers</c> is computed from the servers' statuses. Operations of the OpenAPI tag <c>Monitors</c>.</summary>
public interface IMonitorsApi
{
    /// <summary>One page in name order; every item when <paramref name="limit"/> is null.</summary>
    [Get("/apis/clp/v1/clusters/{cluster}/monitors")]
    Task<ObjectList<Monitor>> ListMonitorsAsync(
        string cluster,
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        CancellationToken cancellationToken = default);

    [Post("/apis/clp/v1/clusters/{cluster}/monitors")]
    Task<Monitor> CreateMonitorAsync(string cluster, [Body] Monitor monitor, bool? autoMonitors = null, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{cluster}/monitors/{name}")]
    Task<Monitor> GetMonitorAsync(string cluster, string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces labels and spec; <paramref name="ifMatch"/> (<see cref="ClpETag"/>) turns a lost update into
    /// a 412, and a stale <c>metadata.resourceVersion</c> in the body is a 409.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/monitors/{name}")]
    Task<Monitor> ReplaceMonitorAsync(string cluster, string name, [Body] Monitor monitor, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>RFC 7386 merge patch of labels and spec (<c>null</c> removes a member).</summary>
    [Patch("/apis/clp/v1/clusters/{cluster}/monitors/{name}")]
    [Headers("Content-Type: application/merge-patch+json")]
    Task<Monitor> PatchMonitorAsync(string cluster, string name, [Body] JsonObject patch, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Answers the deleted object; 409 with <see cref="Problems.ClpProblemException.Dependents"/> while
    /// other objects name it.</summary>
    [Delete("/apis/clp/v1/clusters/{cluster}/monitors/{name}")]
    Task<Monitor> DeleteMonitorAsync(string cluster, string name, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Writes the observed status; never bumps the generation.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/monitors/{name}/status")]
    Task<Monitor> ReplaceMonitorStatusAsync(string cluster, string name, [Body] MonitorStatus status, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);
}
