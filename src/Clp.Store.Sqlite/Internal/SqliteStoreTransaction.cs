using Clp.Core.Store;
using Microsoft.Data.Sqlite;

namespace Clp.Store.Sqlite.Internal;

/// <summary>One write transaction on the writer connection: reads see its own writes, and each write
/// appends one <c>changes</c> row whose rowid is the new resourceVersion.</summary>
/// <remarks>Not thread-safe: await each call before the next (a concurrent call throws). Each write runs
/// under a savepoint, so a write that fails leaves the transaction as it was before that write.</remarks>
internal sealed class SqliteStoreTransaction(SqliteConnection connection, SqliteTransaction transaction, TimeProvider time, long atFloorTicks)
    : IStoreTransaction
{
    private const string InsertChange = """
        INSERT INTO changes (rv, kind, cluster, name_key, name, type, json, uid, generation, created_at, secret_hash, at)
        VALUES ($rv, $kind, $cluster, $nameKey, $name, $type, $json, $uid, $generation, $createdAt, $secretHash, $at);
        """;

    private long? _nextResourceVersion;
    private int _busy;
    private bool _completed;

    /// <summary>The resourceVersion of this transaction's last write; 0 when it wrote nothing.</summary>
    public long LastResourceVersion { get; private set; }

    /// <summary>The <c>at</c> of this transaction's last change (never below the floor it started with).</summary>
    public long LastAtTicks { get; private set; } = atFloorTicks;

    public async Task<StoredObject?> GetAsync(ObjectKey key)
    {
        using var _ = Enter();
        return await FindAsync(key);
    }

    public async Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string cluster)
    {
        using var _ = Enter();
        return await ObjectQueries.ListAllAsync(connection, transaction, kind, cluster, CancellationToken.None);
    }

    public async Task<StoredObject> CreateAsync(ObjectKey key, string json, string? secretHash = null)
    {
        KeyRules.Validate(key);
        ArgumentNullException.ThrowIfNull(json);
        using var _ = Enter();
        if (await FindAsync(key) is { } existing)
        {
            throw new ObjectAlreadyExistsException(key, existing.Key.Name);
        }

        var rv = await NextResourceVersionAsync();
        var now = time.GetUtcNow();
        var uid = Guid.NewGuid().ToString();
        var stored = new StoredObject(key, uid, rv, 1, now, EnvelopeStamper.Stamp(json, key, uid, rv, 1, now), secretHash);
        await RecordAsync(WatchEventType.Added, stored, """
            INSERT INTO objects (kind, cluster, name_key, name, uid, rv, generation, created_at, json, secret_hash)
            VALUES ($kind, $cluster, $nameKey, $name, $uid, $rv, $generation, $createdAt, $json, $secretHash);
            """);
        return stored;
    }

    public async Task<StoredObject> UpdateAsync(ObjectKey key, string json, long? expectedResourceVersion, bool specChanged)
    {
        KeyRules.Validate(key);
        ArgumentNullException.ThrowIfNull(json);
        using var _ = Enter();
        var current = await FindCurrentAsync(key, expectedResourceVersion);
        var rv = await NextResourceVersionAsync();
        var generation = specChanged ? current.Generation + 1 : current.Generation;
        var stamped = EnvelopeStamper.Stamp(json, current.Key, current.Uid, rv, generation, current.CreatedAt);
        var stored = current with { ResourceVersion = rv, Generation = generation, Json = stamped };
        await RecordAsync(WatchEventType.Modified, stored,
            $"UPDATE objects SET rv = $rv, generation = $generation, json = $json WHERE {ObjectRows.WhereKey};");
        return stored;
    }

    public async Task<StoredObject> DeleteAsync(ObjectKey key, long? expectedResourceVersion)
    {
        KeyRules.Validate(key);
        using var _ = Enter();
        var current = await FindCurrentAsync(key, expectedResourceVersion);
        var rv = await NextResourceVersionAsync();

        // The deletion's event carries the last state, stamped with the deletion's resourceVersion.
        var stamped = EnvelopeStamper.Stamp(current.Json, current.Key, current.Uid, rv, current.Generation, current.CreatedAt);
        var stored = current with { ResourceVersion = rv, Json = stamped };
        await RecordAsync(WatchEventType.Deleted, stored, $"DELETE FROM objects WHERE {ObjectRows.WhereKey};");
        return stored;
    }

    /// <summary>The work has finished (commit or rollback follows); later calls throw.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed);

    /// <summary>Ends the transaction's life: later calls throw.</summary>
    public void Complete() => Volatile.Write(ref _completed, true);

    private Task<StoredObject?> FindAsync(ObjectKey key) =>
        ObjectQueries.GetAsync(connection, transaction, key, CancellationToken.None);

    private async Task<StoredObject> FindCurrentAsync(ObjectKey key, long? expectedResourceVersion)
    {
        var current = await FindAsync(key) ?? throw new ObjectNotFoundException(key);
        if (expectedResourceVersion is { } expected && expected != current.ResourceVersion)
        {
            throw new ResourceVersionConflictException(key, expected, current.ResourceVersion);
        }

        return current;
    }

    private async Task<long> NextResourceVersionAsync() =>
        _nextResourceVersion ??= 1 + await ObjectQueries.ResourceVersionAsync(connection, transaction, CancellationToken.None);

    /// <summary>Appends the change row and applies <paramref name="objectSql"/> as one step.</summary>
    private async Task RecordAsync(WatchEventType type, StoredObject stored, string objectSql)
    {
        // `at` never decreases along the history, even if the wall clock steps back; compaction relies on it.
        var at = Math.Max(time.GetUtcNow().UtcTicks, LastAtTicks);
        (string, object?)[] parameters =
        [
            ("$rv", stored.ResourceVersion), ("$kind", stored.Key.Kind), ("$cluster", stored.Key.Cluster),
            ("$nameKey", ObjectRows.NameKey(stored.Key.Name)), ("$name", stored.Key.Name), ("$type", type.ToString()),
            ("$json", stored.Json), ("$uid", stored.Uid), ("$generation", stored.Generation),
            ("$createdAt", stored.CreatedAt.UtcTicks), ("$secretHash", stored.SecretHash), ("$at", at),
        ];
        transaction.Save("clp_write");
        try
        {
            await SqlCommands.ExecuteAsync(connection, transaction, InsertChange, CancellationToken.None, parameters);
            await SqlCommands.ExecuteAsync(connection, transaction, objectSql, CancellationToken.None, parameters);
            transaction.Release("clp_write");
        }
        catch
        {
            transaction.Rollback("clp_write");
            throw;
        }

        _nextResourceVersion = stored.ResourceVersion + 1;
        LastResourceVersion = stored.ResourceVersion;
        LastAtTicks = at;
    }

    private Guard Enter()
    {
        ObjectDisposedException.ThrowIf(IsCompleted, this);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("A store transaction is not thread-safe: await each call before starting the next.");
        }

        return new Guard(this);
    }

    private readonly struct Guard(SqliteStoreTransaction owner) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref owner._busy, 0);
    }
}
