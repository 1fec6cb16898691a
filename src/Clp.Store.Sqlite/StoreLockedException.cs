namespace Clp.Store.Sqlite;

/// <summary>Another process (or another store instance in this one) owns the database: its lock file is
/// held. Two writers on one SQLite file would break the single resourceVersion sequence, so the second
/// open fails instead of waiting.</summary>
public sealed class StoreLockedException(string databasePath, string lockFilePath, Exception inner)
    : InvalidOperationException(
        $"The store database '{databasePath}' is in use: another process or store instance holds its lock file '{lockFilePath}'. " +
        "Stop the other clp-api process or choose another data directory.",
        inner)
{
    public string DatabasePath { get; } = databasePath;

    public string LockFilePath { get; } = lockFilePath;
}
