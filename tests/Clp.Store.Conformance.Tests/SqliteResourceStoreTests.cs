using Clp.Core.Store;
using Clp.Store.Sqlite;
using Clp.Store.Sqlite.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clp.Store.Conformance.Tests;

/// <summary>Runs the conformance scenarios on <see cref="SqliteResourceStore"/>, each store in a fresh
/// temporary directory removed after the test, plus the SQLite-only scenarios (file lock, schema, crash).</summary>
[Trait("Category", "Component")]
public sealed partial class SqliteResourceStoreTests : ResourceStoreConformanceTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clp-store-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<IResourceStore, SqliteStoreOptions> _locations = new(ReferenceEqualityComparer.Instance);
    private int _created;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _locations.Keys)
        {
            await ((SqliteResourceStore)store).DisposeAsync();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    protected override Task<IResourceStore> CreateStoreAsync(TimeProvider time, StoreOptions options) =>
        OpenAsync(NewLocation(), time, options);

    protected override async Task<IResourceStore> ReopenAsync(IResourceStore store, TimeProvider time, StoreOptions options)
    {
        var location = _locations[store];
        await ((SqliteResourceStore)store).DisposeAsync();
        return await OpenAsync(location, time, options);
    }

    [Fact]
    public async Task Open_DatabaseOwnedByAnotherStore_ThrowsStoreLocked()
    {
        var location = NewLocation();
        var owner = await OpenAsync(location, Time, new StoreOptions());

        var error = await Assert.ThrowsAsync<StoreLockedException>(() => OpenAsync(location, Time, new StoreOptions()));

        Assert.Equal(location.DatabasePath, error.DatabasePath);
        Assert.Contains(location.LockFilePath, error.Message, StringComparison.Ordinal);
        var key = new ObjectKey("Server", NewCluster(), "still-writable");
        Assert.NotNull(await owner.WriteAsync((tx, _) => tx.CreateAsync(key, Envelopes.Make(key))));
    }

    [Fact]
    public async Task Open_AfterOwnerDisposed_Succeeds()
    {
        var location = NewLocation();
        var owner = (SqliteResourceStore)await OpenAsync(location, Time, new StoreOptions());
        await owner.DisposeAsync();

        var next = await OpenAsync(location, Time, new StoreOptions());

        Assert.Equal(0, await next.GetResourceVersionAsync());
    }

    [Fact]
    public async Task Open_NewDirectory_CreatesWalDatabaseWithSchemaAndStoreUid()
    {
        var location = NewLocation();

        var store = await OpenAsync(location, Time, new StoreOptions());

        await using var connection = OpenRaw(location);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(1L, Scalar(connection, "SELECT MAX(version) FROM schema_version;"));
        Assert.Equal(store.StoreUid, Scalar(connection, "SELECT value FROM meta WHERE key = 'store_uid';"));
        Assert.True(File.Exists(location.LockFilePath));
    }

    [Fact]
    public async Task Open_DatabaseFromNewerSchema_FailsClearlyAndReleasesTheLock()
    {
        var location = NewLocation();
        await ((SqliteResourceStore)await OpenAsync(location, Time, new StoreOptions())).DisposeAsync();
        await using (var connection = OpenRaw(location))
        {
            Scalar(connection, "INSERT INTO schema_version (version, applied_at) VALUES (99, 'future');");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync(location, Time, new StoreOptions()));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        await using (var connection = OpenRaw(location))
        {
            Scalar(connection, "DELETE FROM schema_version WHERE version = 99;");
        }

        Assert.NotNull(await OpenAsync(location, Time, new StoreOptions()));
    }

    [Fact]
    public async Task Write_CalledFromInsideWork_ThrowsInsteadOfWaitingForItself()
    {
        var store = await NewStoreAsync();
        var key = new ObjectKey("Server", NewCluster(), "nested");

        var error = await Bounded.Within(
            Assert.ThrowsAsync<InvalidOperationException>(() =>
                store.WriteAsync((_, ct) => store.WriteAsync((inner, _) => inner.CreateAsync(key, Envelopes.Make(key)), ct))),
            "the nested write to fail");

        Assert.Contains("inside a write", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync(key));
    }

    [Fact]
    public async Task Dispose_WhileWatching_EndsTheWatchWithObjectDisposed()
    {
        var store = (SqliteResourceStore)await NewStoreAsync();
        var watch = store.WatchAsync(new WatchQuery(NewCluster(), null, 0)).GetAsyncEnumerator();
        var pending = watch.MoveNextAsync().AsTask();

        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Bounded.Within(pending, "the watch to end when the store closed"));
        await watch.DisposeAsync();
    }

    private SqliteStoreOptions NewLocation() =>
        new() { DataDirectory = Path.Combine(_root, $"store-{Interlocked.Increment(ref _created)}") };

    private async Task<IResourceStore> OpenAsync(SqliteStoreOptions location, TimeProvider time, StoreOptions options)
    {
        var store = await SqliteResourceStore.OpenAsync(location, options, time, NullLogger<SqliteResourceStore>.Instance);
        _locations[store] = location;
        return store;
    }

    private static SqliteConnection OpenRaw(SqliteStoreOptions location)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = location.DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
