using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Clp.Store.Sqlite.Internal;

/// <summary>Opens the store's connections: one long-lived writer, and pooled readers (WAL lets readers run
/// beside the writer, each on its own snapshot).</summary>
internal sealed class SqliteConnections(string databasePath, TimeSpan busyTimeout)
{
    private readonly string _readerConnectionString = Build(databasePath, busyTimeout, pooling: true);
    private readonly string _writerConnectionString = Build(databasePath, busyTimeout, pooling: false);

    /// <summary>Opens the writer and sets the durability settings.</summary>
    /// <remarks>WAL with <c>synchronous=FULL</c> syncs the log at every commit, so an acknowledged write
    /// survives a process kill and a power loss; NORMAL would be faster but may lose the last commits on
    /// power loss.</remarks>
    public SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode = WAL;";
                var mode = command.ExecuteScalar() as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"The store database '{databasePath}' could not switch to WAL journal mode (it reports '{mode}'); " +
                        "WAL needs a local file system with shared-memory support.");
                }
            }

            using (var command = connection.CreateCommand())
            {
                command.CommandText = string.Create(CultureInfo.InvariantCulture,
                    $"PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};");
                command.ExecuteNonQuery();
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a pooled reader; dispose it to return it to the pool.</summary>
    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readerConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the idle pooled readers, so the file is no longer held once the store is closed.</summary>
    public void ClearReaderPool()
    {
        using var connection = new SqliteConnection(_readerConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static string Build(string path, TimeSpan busyTimeout, bool pooling) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = pooling,

        // Microsoft.Data.Sqlite retries a busy statement until this many seconds have passed.
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
    }.ToString();
}
