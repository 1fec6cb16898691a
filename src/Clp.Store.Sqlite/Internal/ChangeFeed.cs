using Clp.Core.Store;
using Clp.Store.Sqlite.Migrations;
using Microsoft.Data.Sqlite;

namespace Clp.Store.Sqlite.Internal;

/// <summary>Reads the change history in batches for watchers, each batch from one read snapshot.</summary>
internal static class ChangeFeed
{
    /// <summary>Changes read per query; a watcher holds no snapshot while its consumer works.</summary>
    public const int BatchSize = 256;

    /// <summary>One batch of matching changes after a position.</summary>
    /// <param name="Position">Every change up to here has been looked at: the next batch starts after it.</param>
    /// <param name="More">Changes after <paramref name="Position"/> were committed already.</param>
    public sealed record Batch(IReadOnlyList<WatchEvent> Events, long Position, bool More);

    /// <exception cref="ResourceVersionGoneException"><paramref name="position"/> is older than the
    /// retained history.</exception>
    public static async Task<Batch> ReadAsync(SqliteConnection connection, WatchQuery query, long position, CancellationToken cancellationToken)
    {
        // The bound, the newest rv and the rows come from one snapshot, so compaction cannot slip between.
        // Deferred: a reader must not take SQLite's write lock (the parameterless overload would).
        await using var transaction = connection.BeginTransaction(deferred: true);
        var compactedThrough = await SqlCommands.ScalarInt64Async(connection, transaction,
            "SELECT value FROM meta WHERE key = $key;", cancellationToken, ("$key", SqliteMigrator.CompactedThroughKey)) ?? 0;
        if (position < compactedThrough)
        {
            throw new ResourceVersionGoneException(position, compactedThrough);
        }

        var newest = await ObjectQueries.ResourceVersionAsync(connection, transaction, cancellationToken);
        var kindFilter = query.Kind is null ? "" : " AND kind = $kind";
        await using var command = SqlCommands.Create(connection, transaction,
            $"""
            SELECT type, {ObjectRows.Columns} FROM changes
            WHERE cluster = $cluster{kindFilter} AND rv > $position AND rv <= $newest
            ORDER BY rv LIMIT $limit;
            """,
            ("$cluster", query.Cluster), ("$kind", query.Kind), ("$position", position), ("$newest", newest), ("$limit", BatchSize));
        var events = new List<WatchEvent>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(ObjectRows.ReadChange(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return events.Count == BatchSize
            ? new Batch(events, events[^1].ResourceVersion, More: true)
            : new Batch(events, Math.Max(position, newest), More: false);
    }
}
