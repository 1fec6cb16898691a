using Clp.Core.Store;
using Microsoft.Data.Sqlite;

namespace Clp.Store.Sqlite.Internal;

/// <summary>The object reads, shared by the store's own readers and by write transactions.</summary>
internal static class ObjectQueries
{
    public static async Task<StoredObject?> GetAsync(SqliteConnection connection, SqliteTransaction? transaction, ObjectKey key, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction,
            $"SELECT {ObjectRows.Columns} FROM objects WHERE {ObjectRows.WhereKey};", ObjectRows.KeyParameters(key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ObjectRows.Read(reader) : null;
    }

    public static async Task<IReadOnlyList<StoredObject>> ListAllAsync(SqliteConnection connection, SqliteTransaction? transaction, string kind, string cluster, CancellationToken cancellationToken)
    {
        var page = await ReadAsync(connection, transaction, new ListQuery(kind, cluster), cancellationToken);
        return page.Items;
    }

    /// <summary>The newest committed resourceVersion as this connection sees it; 0 for an empty store.</summary>
    public static async Task<long> ResourceVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken) =>
        await SqlCommands.ScalarInt64Async(connection, transaction,
            "SELECT seq FROM sqlite_sequence WHERE name = 'changes';", cancellationToken) ?? 0;

    /// <summary>One page, with the store's resourceVersion read in the same snapshot as the items.</summary>
    public static async Task<ListPage> ListPageAsync(SqliteConnection connection, ListQuery query, CancellationToken cancellationToken)
    {
        // Deferred: a reader must not take SQLite's write lock (the parameterless overload would).
        await using var transaction = connection.BeginTransaction(deferred: true);
        var page = await ReadAsync(connection, transaction, query, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return page;
    }

    private static async Task<ListPage> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, ListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "ListQuery.Limit must be positive or null.");
        }

        var resourceVersion = await ResourceVersionAsync(connection, transaction, cancellationToken);
        var after = query.After is null ? "" : " AND name_key > $after";

        // Without a filter one row past the page tells whether another page follows.
        var limit = query is { Filter: null, Limit: not null } ? " LIMIT $limit" : "";
        await using var command = SqlCommands.Create(connection, transaction,
            $"SELECT {ObjectRows.Columns} FROM objects WHERE kind = $kind AND cluster = $cluster{after} ORDER BY name_key{limit};",
            ("$kind", query.Kind), ("$cluster", query.Cluster), ("$after", query.After?.ToLowerInvariant()), ("$limit", query.Limit + 1));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<StoredObject>();
        string? continueAfter = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var item = ObjectRows.Read(reader);
            if (query.Filter is { } filter && !filter(item))
            {
                continue;
            }

            if (items.Count == query.Limit)
            {
                // A further match exists, so the page ends here and the token points past its last item.
                continueAfter = ObjectRows.NameKey(items[^1].Key.Name);
                break;
            }

            items.Add(item);
        }

        return new ListPage(items, resourceVersion, continueAfter);
    }
}
