using Clp.Client.Model;
using Clp.Core.Catalog;
using Refit;

namespace Clp.Client.Api;

/// <summary>The type catalog: every resource and monitor type, its closed parameter schema and defaults, and
/// whether this platform supports it. Operations of the OpenAPI tag <c>Catalog</c>.</summary>
public interface ICatalogApi
{
    [Get("/apis/clp/v1/catalog")]
    Task<CatalogDocument> GetCatalogAsync(CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/catalog/resourcetypes/{type}")]
    Task<CatalogType> GetResourceTypeAsync(string type, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/catalog/monitortypes/{type}")]
    Task<CatalogType> GetMonitorTypeAsync(string type, CancellationToken cancellationToken = default);
}
