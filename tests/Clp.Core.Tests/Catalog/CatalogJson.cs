using System.Text.Json.Nodes;
using Clp.Core.Catalog;

namespace Clp.Core.Tests.Catalog;

/// <summary>Test helpers: JSON written with single quotes, and type lookup across both categories.</summary>
internal static class CatalogJson
{
    public static JsonObject Obj(string singleQuoted) => JsonNode.Parse(singleQuoted.Replace('\'', '"'))!.AsObject();

    public static CatalogType Type(string id) =>
        TypeCatalog.Default.FindResourceType(id) ?? TypeCatalog.Default.FindMonitorType(id)
        ?? throw new InvalidOperationException($"'{id}' is not in the catalog");
}
