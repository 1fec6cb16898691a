using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>API keys of a cluster (admins only); only a create answers the key itself. Operations of the OpenAPI tag <c>ApiKeys</c>.</summary>
public interface IApiKeysApi
{
    /// <summary>One page in name order; every item when <paramref name="limit"/> is null.</summary>
    [Get("/apis/clp/v1/clusters/{cluster}/apikeys")]
    Task<ObjectList<ApiKey>> ListApiKeysAsync(
        string cluster,
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        CancellationToken cancellationToken = default);

    /// <summary>The answer holds the key, shown this once: send it as <c>Authorization: Bearer</c>.</summary>
    [Post("/apis/clp/v1/clusters/{cluster}/apikeys")]
    Task<ApiKeyWithSecret> CreateApiKeyAsync(string cluster, [Body] ApiKey apiKey, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{cluster}/apikeys/{name}")]
    Task<ApiKey> GetApiKeyAsync(string cluster, string name, CancellationToken cancellationToken = default);

    /// <summary>Answers the deleted object; 409 with <see cref="Problems.ClpProblemException.Dependents"/> while
    /// other objects name it.</summary>
    [Delete("/apis/clp/v1/clusters/{cluster}/apikeys/{name}")]
    Task<ApiKey> DeleteApiKeyAsync(string cluster, string name, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);
}
