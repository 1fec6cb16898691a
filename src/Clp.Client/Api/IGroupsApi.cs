using System.Text.Json.Nodes;
using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>Failover groups; their status (placement, epoch) is written by the controller. Operations of the OpenAPI tag <c>Groups</c>.</summary>
public interface IGroupsApi
{
    /// <summary>One page in name order; every item when <paramref name="limit"/> is null.</summary>
    [Get("/apis/clp/v1/clusters/{cluster}/groups")]
    Task<ObjectList<Group>> ListGroupsAsync(
        string cluster,
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        CancellationToken cancellationToken = default);

    [Post("/apis/clp/v1/clusters/{cluster}/groups")]
    Task<Group> CreateGroupAsync(string cluster, [Body] Group group, bool? autoMonitors = null, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{cluster}/groups/{name}")]
    Task<Group> GetGroupAsync(string cluster, string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces labels and spec; <paramref name="ifMatch"/> (<see cref="ClpETag"/>) turns a lost update into
    /// a 412, and a stale <c>metadata.resourceVersion</c> in the body is a 409.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/groups/{name}")]
    Task<Group> ReplaceGroupAsync(string cluster, string name, [Body] Group group, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>RFC 7386 merge patch of labels and spec (<c>null</c> removes a member).</summary>
    [Patch("/apis/clp/v1/clusters/{cluster}/groups/{name}")]
    [Headers("Content-Type: application/merge-patch+json")]
    Task<Group> PatchGroupAsync(string cluster, string name, [Body] JsonObject patch, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Answers the deleted object; 409 with <see cref="Problems.ClpProblemException.Dependents"/> while
    /// other objects name it.</summary>
    [Delete("/apis/clp/v1/clusters/{cluster}/groups/{name}")]
    Task<Group> DeleteGroupAsync(string cluster, string name, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Writes the observed status; never bumps the generation.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/groups/{name}/status")]
    Task<Group> ReplaceGroupStatusAsync(string cluster, string name, [Body] GroupStatus status, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);
}
