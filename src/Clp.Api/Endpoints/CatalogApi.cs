using Clp.Api.Objects;
using Clp.Core.Catalog;
using Clp.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clp.Api.Endpoints;

/// <summary>The type catalog: every resource and monitor type, its closed parameter schema and defaults,
/// its monitor timing, the license option it needs, and whether this platform supports it.</summary>
internal static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup($"{ClpApi.BasePath}/catalog").WithTags("Catalog");
        group.MapGet("", (TypeCatalog catalog) => TypedResults.Ok(new CatalogDocument
            {
                ResourceTypes = [.. catalog.ResourceTypes],
                MonitorTypes = [.. catalog.MonitorTypes],
            }))
            .WithName("getCatalog").WithSummary("Read the type catalog");
        group.MapGet("resourcetypes/{type}", (string type, TypeCatalog catalog) => Find(catalog.FindResourceType(type), "resource", type))
            .WithName("getResourceType").WithSummary("Read one resource type").ProducesProblem(404);
        group.MapGet("monitortypes/{type}", (string type, TypeCatalog catalog) => Find(catalog.FindMonitorType(type), "monitor", type))
            .WithName("getMonitorType").WithSummary("Read one monitor type").ProducesProblem(404);
        return app;
    }

    private static Ok<CatalogType> Find(CatalogType? found, string category, string type) =>
        TypedResults.Ok(found ?? throw ApiProblemException.NotFound($"The {category} type '{type}'"));
}

/// <summary>The whole catalog.</summary>
public sealed class CatalogDocument
{
    public List<CatalogType> ResourceTypes { get; set; } = [];

    public List<CatalogType> MonitorTypes { get; set; } = [];
}
