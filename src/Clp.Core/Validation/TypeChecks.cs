using Clp.Core.Catalog;

namespace Clp.Core.Validation;

/// <summary>Looks a type up in the catalog and refuses unknown and unsupported types.</summary>
internal static class TypeChecks
{
    public static CatalogType? ResourceType(string? type, TypeCatalog catalog, ValidationContext context) =>
        Check(type, catalog.FindResourceType(type ?? ""), "resource", context);

    public static CatalogType? MonitorType(string? type, TypeCatalog catalog, ValidationContext context) =>
        Check(type, catalog.FindMonitorType(type ?? ""), "monitor", context);

    private static CatalogType? Check(string? type, CatalogType? found, string category, ValidationContext context)
    {
        if (string.IsNullOrEmpty(type))
        {
            context.Add("spec.type", "required", "spec.type is required");
            return null;
        }

        if (found is null)
        {
            context.Add("spec.type", "unknown-type", $"spec.type '{type}' is not a {category} type of the catalog (GET /apis/clp/v1/catalog)");
            return null;
        }

        if (!found.Supported)
        {
            context.Add("spec.type", "unsupported-type", $"spec.type '{type}' is not supported on this platform: {found.UnsupportedReason}");
            return null;
        }

        return found;
    }
}
