using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Core.Json;
using Clp.Core.Model;

namespace Clp.Client.Watching;

/// <summary>One change of a watch, immutable: the object as it is after the change (for a delete, as it
/// was), at <see cref="ResourceVersion"/>; or a <see cref="WatchEventType.Relisted"/> marker.</summary>
public sealed class WatchEvent
{
    private WatchEvent(WatchEventType type, long resourceVersion, string kind, string name, string cluster, JsonElement value)
    {
        Type = type;
        ResourceVersion = resourceVersion;
        Kind = kind;
        Name = name;
        Cluster = cluster;
        Object = value;
    }

    public WatchEventType Type { get; }

    /// <summary>The change's place in the store-wide sequence; strictly increasing within one watch. For
    /// <see cref="WatchEventType.Relisted"/>, the list's resourceVersion.</summary>
    public long ResourceVersion { get; }

    /// <summary>The object's kind (<c>Server</c>, <c>Group</c>, ...); empty for a Relisted marker.</summary>
    public string Kind { get; }

    public string Name { get; }

    /// <summary>The object's cluster; empty for a Cluster and for a Relisted marker.</summary>
    public string Cluster { get; }

    /// <summary>The object's JSON as sent (an immutable element; <see cref="JsonValueKind.Undefined"/> for a
    /// Relisted marker). <see cref="As{T}"/> and <see cref="AsObject"/> give it typed.</summary>
    public JsonElement Object { get; }

    /// <summary>The object as <typeparamref name="T"/>, read tolerantly (members a newer server added are
    /// skipped); throws when <typeparamref name="T"/> is the model type of another kind.</summary>
    public T As<T>()
        where T : ClpObject
    {
        if (Kinds.All.FirstOrDefault(k => k.ClrType == typeof(T)) is { } kind && !string.Equals(kind.Kind, Kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"this event is about a {(Kind.Length > 0 ? Kind : Type.ToString())}, not a {kind.Kind}");
        }

        return (T)Deserialize(typeof(T));
    }

    /// <summary>The object as the model type of its <see cref="Kind"/> (<see cref="Server"/>, <see cref="Group"/>, ...).</summary>
    public ClpObject AsObject()
    {
        var kind = Kinds.ByName(Kind) ?? throw new InvalidOperationException($"'{Kind}' is not a kind this client knows; use As<T>() or Object");
        return (ClpObject)Deserialize(kind.ClrType);
    }

    /// <summary>A mutable copy of <see cref="Object"/>.</summary>
    public JsonObject ToJsonObject() =>
        JsonNode.Parse(Object.GetRawText()) as JsonObject ?? throw new InvalidOperationException($"a {Type} event carries no object");

    public override string ToString() => Type == WatchEventType.Relisted
        ? $"Relisted at {ResourceVersion}"
        : $"{Type} {Kind} {(Cluster.Length > 0 ? Cluster + "/" : "")}{Name} at {ResourceVersion}";

    internal static WatchEvent Relisted(long resourceVersion) => new(WatchEventType.Relisted, resourceVersion, "", "", "", default);

    internal static WatchEvent Change(WatchEventType type, long resourceVersion, JsonElement value)
    {
        var metadata = value.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        return new WatchEvent(type, resourceVersion, StringOf(value, "kind"), StringOf(metadata, "name"), StringOf(metadata, "cluster"), value);
    }

    private object Deserialize(Type type) =>
        Object.ValueKind == JsonValueKind.Object
            ? Object.Deserialize(type, ClpJson.StoredOptions) ?? throw new JsonException($"{Kind} '{Name}' deserialised as null")
            : throw new InvalidOperationException($"a {Type} event carries no object");

    private static string StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
}
