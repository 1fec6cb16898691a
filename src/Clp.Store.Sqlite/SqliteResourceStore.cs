using Clp.Core.Store;
using Clp.Store.Sqlite.Internal;
using Clp.Store.Sqlite.Migrations;
using Clp.Store.Sqlite.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Clp.Store.Sqlite;

/// <summary>The embedded store: <see cref="IResourceStore"/> on one SQLite file that one process owns.</summary>
/// <remarks>
/// <para>Every write is one <c>BEGIN IMMEDIATE</c> transaction on a single writer connection; writers queue
/// on a semaphore, so resourceVersions are assigned in commit order and a watcher reading the history sees
/// no gaps. Reads use pooled connections on their own WAL snapshots and never wait for the writer.</para>
/// <para>Durability: WAL with <c>synchronous=FULL</c>; a write is acknowledged only after its commit is on
/// disk, so a process kill or power loss keeps every acknowledged write. A failed <c>work</c> rolls back
/// completely.</para>
/// <para>Failure modes operators must know: a second process on the same file fails to open
/// (<see cref="StoreLockedException"/>); the lock is advisory on Unix, so a manual <c>sqlite3</c> session
/// that writes can still corrupt the resourceVersion sequence. WAL needs a local file system (not NFS).
/// A database written by a newer CLP refuses to open. A write that waits for the lock waits behind every
/// queued writer: a slow <c>work</c> delays all writes.</para>
/// <para>Watches are woken by commits (no polling); each wake costs one indexed query per watcher.</para>
/// </remarks>
public sealed partial class SqliteResourceStore : IResourceStore, IAsyncDisposable
{
    private const int StateNew = 0;
    private const int StateOpen = 1;
    private const int StateDisposed = 2;

    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteResourceStore> _logger;
    private readonly SqliteConnections _connections;
    private readonly HistoryCompactor _compactor;
    private readonly ChangeSignal _changes = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Never disposed: watches and writes racing DisposeAsync may still link to its token.
    private readonly CancellationTokenSource _disposing = new();
    private readonly AsyncLocal<SqliteStoreTransaction?> _currentTransaction = new();
    private int _state;
    private StoreLockFile? _lock;
    private SqliteConnection? _writer;
    private string? _storeUid;
    private long _lastAtTicks;

    /// <summary>Makes a store that touches no file until <see cref="InitializeAsync"/>; prefer
    /// <see cref="OpenAsync"/>.</summary>
    public SqliteResourceStore(SqliteStoreOptions options, StoreOptions storeOptions, TimeProvider time, ILogger<SqliteResourceStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storeOptions);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegative(storeOptions.HistoryMinChanges, "StoreOptions.HistoryMinChanges");
        ArgumentOutOfRangeException.ThrowIfLessThan(storeOptions.HistoryMinAge, TimeSpan.Zero, "StoreOptions.HistoryMinAge");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CompactionInterval, TimeSpan.Zero, "SqliteStoreOptions.CompactionInterval");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero, "SqliteStoreOptions.BusyTimeout");
        _options = options;
        _time = time;
        _logger = logger;
        DatabasePath = options.DatabasePath;
        _connections = new SqliteConnections(DatabasePath, options.BusyTimeout);
        _compactor = new HistoryCompactor(storeOptions, options.CompactionInterval, time);
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath { get; }

    public string StoreUid
    {
        get
        {
            ThrowIfNotOpen();
            return _storeUid!;
        }
    }

    /// <summary>Creates the data directory, takes the lock file, migrates the schema and returns the open store.</summary>
    /// <exception cref="StoreLockedException">Another process or store instance owns the database.</exception>
    public static async Task<SqliteResourceStore> OpenAsync(
        SqliteStoreOptions options,
        StoreOptions storeOptions,
        TimeProvider time,
        ILogger<SqliteResourceStore> logger,
        CancellationToken cancellationToken = default)
    {
        var store = new SqliteResourceStore(options, storeOptions, time, logger);
        try
        {
            await store.InitializeAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens the store (idempotent): directory, lock file, writer connection, migrations.</summary>
    /// <exception cref="StoreLockedException">Another process or store instance owns the database.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_state == StateDisposed, this);
            if (_state == StateOpen)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            var lockFile = StoreLockFile.Acquire(DatabasePath, _options.LockFilePath);
            SqliteConnection? writer = null;
            try
            {
                writer = _connections.OpenWriter();
                var (from, to) = SqliteMigrator.Migrate(writer, _time.GetUtcNow());
                if (from != to)
                {
                    LogInformationMigrated(DatabasePath, from, to);
                }

                await using (var command = SqlCommands.Create(writer, null, "SELECT value FROM meta WHERE key = $key;", ("$key", SqliteMigrator.StoreUidKey)))
                {
                    _storeUid = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
                }

                _lastAtTicks = await SqlCommands.ScalarInt64Async(writer, null, "SELECT MAX(at) FROM changes;", cancellationToken) ?? 0;
                var resourceVersion = await ObjectQueries.ResourceVersionAsync(writer, null, cancellationToken);
                (_writer, _lock) = (writer, lockFile);
                if (Interlocked.CompareExchange(ref _state, StateOpen, StateNew) != StateNew)
                {
                    (_writer, _lock) = (null, null);
                    throw new ObjectDisposedException(nameof(SqliteResourceStore), "The store was disposed while it was opening.");
                }

                LogInformationOpened(DatabasePath, _storeUid, to, resourceVersion);
            }
            catch
            {
                writer?.Dispose();
                lockFile.Dispose();
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<StoredObject?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default)
    {
        ThrowIfNotOpen();
        await using var connection = await _connections.OpenReaderAsync(cancellationToken);
        return await ObjectQueries.GetAsync(connection, null, key, cancellationToken);
    }

    public async Task<ListPage> ListAsync(ListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfNotOpen();
        await using var connection = await _connections.OpenReaderAsync(cancellationToken);
        return await ObjectQueries.ListPageAsync(connection, query, cancellationToken);
    }

    public async Task<long> GetOldestResumableResourceVersionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotOpen();
        await using var connection = await _connections.OpenReaderAsync(cancellationToken);
        return await SqlCommands.ScalarInt64Async(connection, null,
            "SELECT value FROM meta WHERE key = $key;", cancellationToken, ("$key", Migrations.SqliteMigrator.CompactedThroughKey)) ?? 0;
    }

    public async Task<long> GetResourceVersionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotOpen();
        await using var connection = await _connections.OpenReaderAsync(cancellationToken);
        return await ObjectQueries.ResourceVersionAsync(connection, null, cancellationToken);
    }

    /// <summary>Ends watches (with <see cref="ObjectDisposedException"/>), cancels queued and running writes'
    /// tokens, waits for a running write to commit or roll back, then closes the file and releases the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, StateDisposed) == StateDisposed)
        {
            return;
        }

        await _disposing.CancelAsync();

        // Let a running write finish (its commit is not cancellable) before the connection goes away.
        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            // Readers first, so the writer is the last connection and its close checkpoints the WAL.
            _connections.ClearReaderPool();
            if (_writer is not null)
            {
                await _writer.DisposeAsync();
                _writer = null;
                LogInformationClosed(DatabasePath);
            }

            _lock?.Dispose();
            _lock = null;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private SqliteConnection ThrowIfNotOpen()
    {
        var state = Volatile.Read(ref _state);
        ObjectDisposedException.ThrowIf(state == StateDisposed, this);
        return state == StateOpen
            ? _writer!
            : throw new InvalidOperationException("The store is not open: use SqliteResourceStore.OpenAsync or call InitializeAsync first.");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Opened store {DatabasePath} (store uid {StoreUid}, schema version {SchemaVersion}, resourceVersion {ResourceVersion})")]
    private partial void LogInformationOpened(string databasePath, string storeUid, int schemaVersion, long resourceVersion);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Migrated store {DatabasePath} from schema version {FromVersion} to {ToVersion}")]
    private partial void LogInformationMigrated(string databasePath, int fromVersion, int toVersion);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Compacted {Deleted} changes from the history; compacted through resourceVersion {CompactedThrough}")]
    private partial void LogDebugCompacted(int deleted, long compactedThrough);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "History compaction failed; it is retried after a later commit")]
    private partial void LogErrorCompactionFailed(Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Rolling back a failed write failed; SQLite had already rolled it back")]
    private partial void LogWarningRollbackFailed(Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Closed store {DatabasePath}")]
    private partial void LogInformationClosed(string databasePath);
}
