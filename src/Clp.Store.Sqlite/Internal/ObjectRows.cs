using Clp.Core.Store;
using Microsoft.Data.Sqlite;

namespace Clp.Store.Sqlite.Internal;

/// <summary>The column list shared by <c>objects</c> and <c>changes</c>, and its mapping to
/// <see cref="StoredObject"/>.</summary>
internal static class ObjectRows
{
    /// <summary>Selected in this order by every object and change query.</summary>
    public const string Columns = "kind, cluster, name, uid, rv, generation, created_at, json, secret_hash";

    /// <summary>The key columns' WHERE clause, bound by <see cref="KeyParameters"/>.</summary>
    public const string WhereKey = "kind = $kind AND cluster = $cluster AND name_key = $nameKey";

    public static string NameKey(string name) => name.ToLowerInvariant();

    public static (string, object?)[] KeyParameters(ObjectKey key) =>
        [("$kind", key.Kind), ("$cluster", key.Cluster), ("$nameKey", NameKey(key.Name))];

    /// <summary>Reads <see cref="Columns"/> starting at column <paramref name="offset"/>.</summary>
    public static StoredObject Read(SqliteDataReader reader, int offset = 0) => new(
        new ObjectKey(reader.GetString(offset), reader.GetString(offset + 1), reader.GetString(offset + 2)),
        reader.GetString(offset + 3),
        reader.GetInt64(offset + 4),
        reader.GetInt64(offset + 5),
        new DateTimeOffset(reader.GetInt64(offset + 6), TimeSpan.Zero),
        reader.GetString(offset + 7),
        reader.IsDBNull(offset + 8) ? null : reader.GetString(offset + 8));

    /// <summary>Reads a <c>changes</c> row selected as <c>type, </c><see cref="Columns"/>.</summary>
    public static WatchEvent ReadChange(SqliteDataReader reader)
    {
        var type = Enum.Parse<WatchEventType>(reader.GetString(0));
        var stored = Read(reader, offset: 1);
        return new WatchEvent(type, stored.ResourceVersion, stored);
    }
}
