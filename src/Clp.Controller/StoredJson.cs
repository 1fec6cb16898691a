using System.Text.Json;
using Clp.Core.Json;
using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Controller;

/// <summary>Between stored envelopes and typed objects, for the controller's own reads and writes.</summary>
internal static class StoredJson
{
    public static T As<T>(this StoredObject stored)
        where T : ClpObject =>
        JsonSerializer.Deserialize<T>(stored.Json, ClpJson.StoredOptions)
        ?? throw new InvalidOperationException($"{stored.Key} holds JSON null");

    public static string ToJson(this ClpObject value) => JsonSerializer.Serialize(value, value.GetType(), ClpJson.Options);

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, ClpJson.Options);

    /// <summary>Whether two values serialise alike (a write that changes nothing is skipped).</summary>
    public static bool Same<T>(T a, T b) => ToJson(a) == ToJson(b);
}
