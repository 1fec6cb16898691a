using System.Globalization;
using System.Text.Json.Nodes;
using Clp.Core.Store;

namespace Clp.Store.Conformance.Tests;

/// <summary>Builds object envelopes for the scenarios and reads back what the store stamped.</summary>
internal static class Envelopes
{
    /// <summary>A minimal envelope with <c>spec.value</c> (and <c>status.phase</c> when given).</summary>
    public static string Make(ObjectKey key, int value = 0, string? phase = null)
    {
        var root = new JsonObject
        {
            ["apiVersion"] = "clp/v1",
            ["kind"] = key.Kind,
            ["metadata"] = new JsonObject { ["name"] = key.Name, ["labels"] = new JsonObject { ["suite"] = "conformance" } },
            ["spec"] = new JsonObject { ["value"] = value },
        };
        if (phase is not null)
        {
            root["status"] = new JsonObject { ["phase"] = phase };
        }

        return root.ToJsonString();
    }

    public static JsonObject Metadata(StoredObject stored) => Root(stored)["metadata"]!.AsObject();

    public static int SpecValue(StoredObject stored) => (int)Root(stored)["spec"]!["value"]!;

    public static string? Phase(StoredObject stored) => (string?)Root(stored)["status"]?["phase"];

    public static string Text(JsonObject node, string property) => (string)node[property]!;

    public static string Rv(long resourceVersion) => resourceVersion.ToString(CultureInfo.InvariantCulture);

    private static JsonObject Root(StoredObject stored) => JsonNode.Parse(stored.Json)!.AsObject();
}
