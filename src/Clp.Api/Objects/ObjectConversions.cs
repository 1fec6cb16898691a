using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Core.Json;
using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Api.Objects;

/// <summary>Between stored JSON envelopes and typed objects.</summary>
internal static class ObjectConversions
{
    public static T ToObject<T>(this StoredObject stored)
        where T : ClpObject =>
        JsonSerializer.Deserialize<T>(stored.Json, ClpJson.StoredOptions)
        ?? throw new InvalidOperationException($"{stored.Key} holds JSON null");

    public static ClpObject ToObject(this StoredObject stored, KindInfo kind) =>
        (ClpObject)(JsonSerializer.Deserialize(stored.Json, kind.ClrType, ClpJson.StoredOptions)
            ?? throw new InvalidOperationException($"{stored.Key} holds JSON null"));

    public static string ToJson(this ClpObject value) => JsonSerializer.Serialize(value, value.GetType(), ClpJson.Options);

    public static JsonObject ToNode(this ClpObject value) =>
        JsonSerializer.SerializeToNode(value, value.GetType(), ClpJson.Options)!.AsObject();

    public static long Version(this ClpObject value) =>
        long.TryParse(value.Metadata.ResourceVersion, out var rv) ? rv : 0;

    /// <summary>The spec as canonical JSON, to tell whether a write changed it.</summary>
    public static string SpecJson(this ClpObject value) =>
        value.ToNode()["spec"]?.ToJsonString() ?? "null";

    public static object? GetStatus(this ClpObject value) =>
        value.GetType().GetProperty("Status")!.GetValue(value);

    public static void SetStatus(this ClpObject value, object? status) =>
        value.GetType().GetProperty("Status")!.SetValue(value, status);

    public static Type StatusType(this KindInfo kind) => kind.ClrType.GetProperty("Status")!.PropertyType;
}
