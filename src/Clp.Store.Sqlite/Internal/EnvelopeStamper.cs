using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Store.Sqlite.Internal;

/// <summary>Writes the store-owned metadata into an object's JSON envelope, overwriting what the caller
/// sent; every other member is left as it was (the store treats it as opaque).</summary>
internal static class EnvelopeStamper
{
    /// <param name="key">The key with the name as first stored (its original case).</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    public static string Stamp(string json, ObjectKey key, string uid, long resourceVersion, long generation, DateTimeOffset createdAt)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new ArgumentException($"The JSON of {key} must be a JSON object.", nameof(json));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The JSON of {key} is not valid JSON: {ex.Message}", nameof(json), ex);
        }

        if (root["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            root["metadata"] = metadata;
        }

        metadata["name"] = key.Name;
        if (key.Kind == Kinds.Cluster.Kind)
        {
            metadata.Remove("cluster");
        }
        else
        {
            metadata["cluster"] = key.Cluster;
        }

        metadata["uid"] = uid;
        metadata["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        metadata["generation"] = generation;
        metadata["creationTimestamp"] = FormatTimestamp(createdAt);
        return root.ToJsonString();
    }

    /// <summary>ISO 8601 in UTC with a <c>Z</c>, fractional seconds only when there are any.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
