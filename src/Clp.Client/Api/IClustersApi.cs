using System.Text.Json.Nodes;
using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>Clusters: top level; every other kind lives under one. Operations of the OpenAPI tag <c>Clusters</c>.</summary>
public interface IClustersApi
{
    /// <summary>One page in name order; every item when <paramref name="limit"/> is null.</summary>
    [Get("/apis/clp/v1/clusters")]
    Task<ObjectList<Cluster>> ListClustersAsync(
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        CancellationToken cancellationToken = default);

    [Post("/apis/clp/v1/clusters")]
    Task<Cluster> CreateClusterAsync([Body] Cluster cluster, bool? autoMonitors = null, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{name}")]
    Task<Cluster> GetClusterAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces labels and spec; <paramref name="ifMatch"/> (<see cref="ClpETag"/>) turns a lost update into
    /// a 412, and a stale <c>metadata.resourceVersion</c> in the body is a 409.</summary>
    [Put("/apis/clp/v1/clusters/{name}")]
    Task<Cluster> ReplaceClusterAsync(string name, [Body] Cluster cluster, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>RFC 7386 merge patch of labels and spec (<c>null</c> removes a member).</summary>
    [Patch("/apis/clp/v1/clusters/{name}")]
    [Headers("Content-Type: application/merge-patch+json")]
    Task<Cluster> PatchClusterAsync(string name, [Body] JsonObject patch, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Answers the deleted object; 409 with <see cref="Problems.ClpProblemException.Dependents"/> while
    /// other objects name it.</summary>
    [Delete("/apis/clp/v1/clusters/{name}")]
    Task<Cluster> DeleteClusterAsync(string name, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Writes the observed status; never bumps the generation.</summary>
    [Put("/apis/clp/v1/clusters/{name}/status")]
    Task<Cluster> ReplaceClusterStatusAsync(string name, [Body] ClusterStatus status, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);
}
