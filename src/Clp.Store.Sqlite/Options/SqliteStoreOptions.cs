namespace Clp.Store.Sqlite.Options;

/// <summary>Where the embedded store keeps its database and how it paces its housekeeping.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file's name inside <see cref="DataDirectory"/>.</summary>
    public const string DefaultFileName = "clp.db";

    /// <summary>The directory holding the database, its WAL files and its lock file; created when missing.</summary>
    /// <value>Default <c>data</c>, relative to the working directory (DESIGN.md: <c>./data</c> or <c>CLP_DATA_DIR</c>).</value>
    public string DataDirectory { get; set; } = "data";

    /// <summary>A full database file path; when set it wins over <see cref="DataDirectory"/>.</summary>
    /// <value>Default null: <see cref="DataDirectory"/>/<c>clp.db</c>.</value>
    public string? DatabaseFile { get; set; }

    /// <summary>How long a statement waits for a lock SQLite reports busy before failing.</summary>
    /// <value>Default 5 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The least time between two history compactions; compaction runs after a commit once this
    /// has passed since the previous one.</summary>
    /// <value>Default 5 seconds.</value>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The absolute database file path.</summary>
    /// <value>Derived from <see cref="DatabaseFile"/> or <see cref="DataDirectory"/>.</value>
    public string DatabasePath => Path.GetFullPath(DatabaseFile ?? Path.Combine(DataDirectory, DefaultFileName));

    /// <summary>The lock file that marks the database as owned by one process.</summary>
    /// <value>Derived: <see cref="DatabasePath"/> + <c>.lock</c>.</value>
    public string LockFilePath => DatabasePath + ".lock";
}
