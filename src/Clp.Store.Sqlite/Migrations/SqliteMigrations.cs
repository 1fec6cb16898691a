namespace Clp.Store.Sqlite.Migrations;

/// <summary>The schema as ordered SQL steps: step <c>i</c> (0-based) moves the schema from version <c>i</c>
/// to <c>i + 1</c>. Never edit a step that has shipped; append a new one.</summary>
internal static class SqliteMigrations
{
    /// <summary>Version 1: objects, the change history (one row per write; its rowid is the resourceVersion)
    /// and store metadata.</summary>
    /// <remarks><c>changes.rv</c> is AUTOINCREMENT so a resourceVersion is never reused, also after the newest
    /// rows were compacted or the process restarted. <c>at</c> is UTC ticks, never decreasing with rv (the
    /// writer clamps it), which makes "older than the minimum age" a prefix of the history.</remarks>
    private const string V1 = """
        CREATE TABLE objects (
            kind        TEXT    NOT NULL,
            cluster     TEXT    NOT NULL,
            name_key    TEXT    NOT NULL,
            name        TEXT    NOT NULL,
            uid         TEXT    NOT NULL,
            rv          INTEGER NOT NULL,
            generation  INTEGER NOT NULL,
            created_at  INTEGER NOT NULL,
            json        TEXT    NOT NULL,
            secret_hash TEXT,
            PRIMARY KEY (kind, cluster, name_key)
        );
        CREATE TABLE changes (
            rv          INTEGER PRIMARY KEY AUTOINCREMENT,
            kind        TEXT    NOT NULL,
            cluster     TEXT    NOT NULL,
            name_key    TEXT    NOT NULL,
            name        TEXT    NOT NULL,
            type        TEXT    NOT NULL CHECK (type IN ('Added', 'Modified', 'Deleted')),
            json        TEXT    NOT NULL,
            uid         TEXT    NOT NULL,
            generation  INTEGER NOT NULL,
            created_at  INTEGER NOT NULL,
            secret_hash TEXT,
            at          INTEGER NOT NULL
        );
        CREATE INDEX changes_by_cluster ON changes (cluster);
        CREATE INDEX changes_by_cluster_kind ON changes (cluster, kind);
        CREATE INDEX changes_by_at ON changes (at);
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value
        );
        """;

    public static IReadOnlyList<string> Steps { get; } = [V1];
}
