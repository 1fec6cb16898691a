namespace Clp.Core.Store;

/// <summary>One object as the store holds it: the JSON envelope with store-owned metadata stamped in
/// (name, cluster, uid, resourceVersion, generation, creationTimestamp).</summary>
/// <param name="SecretHash">A hash kept beside the object and never part of its JSON (API key hashes).</param>
public sealed record StoredObject(
    ObjectKey Key,
    string Uid,
    long ResourceVersion,
    long Generation,
    DateTimeOffset CreatedAt,
    string Json,
    string? SecretHash = null);
