using Clp.Core.Catalog;

namespace Clp.Client.Model;

/// <summary>The whole type catalog as <c>GET /apis/clp/v1/catalog</c> answers it.</summary>
public sealed class CatalogDocument
{
    public List<CatalogType> ResourceTypes { get; set; } = [];

    public List<CatalogType> MonitorTypes { get; set; } = [];
}
