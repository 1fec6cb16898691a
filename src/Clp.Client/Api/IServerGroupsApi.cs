using System.Text.Json.Nodes;
using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>Named sets of servers that failover policies name in order. Operations of the OpenAPI tag <c>ServerGroups</c>.</summary>
public interface IServerGroupsApi
{
    /// <summary>One page in name order; every item when <paramref name="limit"/> is null.</summary>
    [Get("/apis/clp/v1/clusters/{cluster}/servergroups")]
    Task<ObjectList<ServerGroup>> ListServerGroupsAsync(
        string cluster,
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        CancellationToken cancellationToken = default);

    [Post("/apis/clp/v1/clusters/{cluster}/servergroups")]
    Task<ServerGroup> CreateServerGroupAsync(string cluster, [Body] ServerGroup serverGroup, bool? autoMonitors = null, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{cluster}/servergroups/{name}")]
    Task<ServerGroup> GetServerGroupAsync(string cluster, string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces labels and spec; <paramref name="ifMatch"/> (<see cref="ClpETag"/>) turns a lost update into
    /// a 412, and a stale <c>metadata.resourceVersion</c> in the body is a 409.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/servergroups/{name}")]
    Task<ServerGroup> ReplaceServerGroupAsync(string cluster, string name, [Body] ServerGroup serverGroup, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>RFC 7386 merge patch of labels and spec (<c>null</c> removes a member).</summary>
    [Patch("/apis/clp/v1/clusters/{cluster}/servergroups/{name}")]
    [Headers("Content-Type: application/merge-patch+json")]
    Task<ServerGroup> PatchServerGroupAsync(string cluster, string name, [Body] JsonObject patch, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Answers the deleted object; 409 with <see cref="Problems.ClpProblemException.Dependents"/> while
    /// other objects name it.</summary>
    [Delete("/apis/clp/v1/clusters/{cluster}/servergroups/{name}")]
    Task<ServerGroup> DeleteServerGroupAsync(string cluster, string name, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Writes the observed status; never bumps the generation.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/servergroups/{name}/status")]
    Task<ServerGroup> ReplaceServerGroupStatusAsync(string cluster, string name, [Body] ServerGroupStatus status, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);
}
