using System.Globalization;
using Clp.Store.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Clp.Store.Sqlite.Migrations;

/// <summary>Brings a database to the newest schema in one transaction and seeds the store metadata.</summary>
internal static class SqliteMigrator
{
    public const string StoreUidKey = "store_uid";
    public const string CompactedThroughKey = "compacted_through";

    /// <summary>Applies the missing steps of <see cref="SqliteMigrations.Steps"/>; a crash midway leaves the
    /// old version, because steps and their <c>schema_version</c> rows commit together.</summary>
    /// <returns>The version found and the version now.</returns>
    /// <exception cref="InvalidOperationException">The database was written by a newer CLP.</exception>
    public static (int From, int To) Migrate(SqliteConnection connection, DateTimeOffset now)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY NOT NULL,
                applied_at TEXT    NOT NULL
            );
            """);
        var from = Convert.ToInt32(Scalar(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"), CultureInfo.InvariantCulture);
        var steps = SqliteMigrations.Steps;
        if (from > steps.Count)
        {
            throw new InvalidOperationException(
                $"The store database has schema version {from}, newer than this build supports ({steps.Count}); " +
                "run a CLP version at least as new as the one that last wrote it.");
        }

        for (var version = from; version < steps.Count; version++)
        {
            Execute(connection, transaction, steps[version]);
            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at);",
                ("$v", version + 1), ("$at", now.ToString("O", CultureInfo.InvariantCulture)));
        }

        // OR IGNORE: an existing store keeps its uid; only a new database gets one.
        Execute(connection, transaction, "INSERT OR IGNORE INTO meta (key, value) VALUES ($k, $v);",
            ("$k", StoreUidKey), ("$v", Guid.NewGuid().ToString()));
        Execute(connection, transaction, "INSERT OR IGNORE INTO meta (key, value) VALUES ($k, 0);",
            ("$k", CompactedThroughKey));
        transaction.Commit();
        return (from, steps.Count);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = SqlCommands.Create(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = SqlCommands.Create(connection, transaction, sql);
        return command.ExecuteScalar();
    }
}
