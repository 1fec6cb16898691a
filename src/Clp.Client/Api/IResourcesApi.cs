using System.Text.Json.Nodes;
using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>Group resources; a create also creates the type's monitors unless <c>autoMonitors</c> is false. Operations of the OpenAPI tag <c>Resources</c>.</summary>
public interface IResourcesApi
{
    /// <summary>One page in name order; every item when <paramref name="limit"/> is null.</summary>
    [Get("/apis/clp/v1/clusters/{cluster}/resources")]
    Task<ObjectList<Resource>> ListResourcesAsync(
        string cluster,
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        CancellationToken cancellationToken = default);

    [Post("/apis/clp/v1/clusters/{cluster}/resources")]
    Task<Resource> CreateResourceAsync(string cluster, [Body] Resource resource, bool? autoMonitors = null, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{cluster}/resources/{name}")]
    Task<Resource> GetResourceAsync(string cluster, string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces labels and spec; <paramref name="ifMatch"/> (<see cref="ClpETag"/>) turns a lost update into
    /// a 412, and a stale <c>metadata.resourceVersion</c> in the body is a 409.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/resources/{name}")]
    Task<Resource> ReplaceResourceAsync(string cluster, string name, [Body] Resource resource, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>RFC 7386 merge patch of labels and spec (<c>null</c> removes a member).</summary>
    [Patch("/apis/clp/v1/clusters/{cluster}/resources/{name}")]
    [Headers("Content-Type: application/merge-patch+json")]
    Task<Resource> PatchResourceAsync(string cluster, string name, [Body] JsonObject patch, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Answers the deleted object; 409 with <see cref="Problems.ClpProblemException.Dependents"/> while
    /// other objects name it.</summary>
    [Delete("/apis/clp/v1/clusters/{cluster}/resources/{name}")]
    Task<Resource> DeleteResourceAsync(string cluster, string name, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Writes the observed status; never bumps the generation.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/resources/{name}/status")]
    Task<Resource> ReplaceResourceStatusAsync(string cluster, string name, [Body] ResourceStatus status, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);
}
