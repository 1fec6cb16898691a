using System.Text.Json.Nodes;
using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>The cluster's servers (nodes); each agent writes only its own server's status. Operations of the OpenAPI tag <c>Servers</c>.</summary>
public interface IServersApi
{
    /// <summary>One page in name order; every item when <paramref name="limit"/> is null.</summary>
    [Get("/apis/clp/v1/clusters/{cluster}/servers")]
    Task<ObjectList<Server>> ListServersAsync(
        string cluster,
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        CancellationToken cancellationToken = default);

    [Post("/apis/clp/v1/clusters/{cluster}/servers")]
    Task<Server> CreateServerAsync(string cluster, [Body] Server server, bool? autoMonitors = null, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{cluster}/servers/{name}")]
    Task<Server> GetServerAsync(string cluster, string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces labels and spec; <paramref name="ifMatch"/> (<see cref="ClpETag"/>) turns a lost update into
    /// a 412, and a stale <c>metadata.resourceVersion</c> in the body is a 409.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/servers/{name}")]
    Task<Server> ReplaceServerAsync(string cluster, string name, [Body] Server server, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>RFC 7386 merge patch of labels and spec (<c>null</c> removes a member).</summary>
    [Patch("/apis/clp/v1/clusters/{cluster}/servers/{name}")]
    [Headers("Content-Type: application/merge-patch+json")]
    Task<Server> PatchServerAsync(string cluster, string name, [Body] JsonObject patch, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Answers the deleted object; 409 with <see cref="Problems.ClpProblemException.Dependents"/> while
    /// other objects name it.</summary>
    [Delete("/apis/clp/v1/clusters/{cluster}/servers/{name}")]
    Task<Server> DeleteServerAsync(string cluster, string name, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Writes the observed status; never bumps the generation.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/servers/{name}/status")]
    Task<Server> ReplaceServerStatusAsync(string cluster, string name, [Body] ServerStatus status, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);
}
