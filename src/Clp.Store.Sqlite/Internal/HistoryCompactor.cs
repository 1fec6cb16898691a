using Clp.Core.Store;
using Clp.Store.Sqlite.Migrations;
using Microsoft.Data.Sqlite;

namespace Clp.Store.Sqlite.Internal;

/// <summary>Deletes change history that is both older than <see cref="StoreOptions.HistoryMinAge"/> and
/// not among the newest <see cref="StoreOptions.HistoryMinChanges"/>, and records the bound in
/// <c>meta.compacted_through</c>; watches from below the bound are answered with 410 Gone.</summary>
/// <remarks>The deleted range is always a prefix of the history: the bound is the smaller of the newest
/// change old enough (<c>at</c> never decreases with rv, so everything before it is old enough too) and the
/// newest change outside the count. Both read only the index on <c>at</c> (the count steps over
/// <see cref="StoreOptions.HistoryMinChanges"/> small index entries), so a run costs little beyond the deletes.</remarks>
internal sealed class HistoryCompactor(StoreOptions options, TimeSpan interval, TimeProvider time)
{
    /// <summary>The most changes one run deletes.</summary>
    public const int MaxDeletesPerRun = 10_000;

    private long _lastRun = time.GetTimestamp();

    /// <summary>What a run did.</summary>
    /// <param name="CompactedThrough">The bound after the run.</param>
    /// <param name="Deleted">Changes deleted by this run; 0 when the history was within the limits.</param>
    public readonly record struct Result(long CompactedThrough, int Deleted);

    /// <summary>A run is due once <c>interval</c> has passed since the previous run (or since open).</summary>
    public bool IsDue => time.GetElapsedTime(_lastRun) >= interval;

    /// <summary>Runs one compaction in its own write transaction on <paramref name="writer"/>; the caller
    /// holds the store's write lock.</summary>
    public async Task<Result> RunAsync(SqliteConnection writer)
    {
        _lastRun = time.GetTimestamp();

        // A compaction is housekeeping that must not be torn halfway: it runs to the end uncancelled.
        var cancellationToken = CancellationToken.None;
        await using var transaction = writer.BeginTransaction(deferred: false);
        var compactedThrough = await SqlCommands.ScalarInt64Async(writer, transaction,
            "SELECT value FROM meta WHERE key = $key;", cancellationToken, ("$key", SqliteMigrator.CompactedThroughKey)) ?? 0;
        var cutoffTicks = time.GetUtcNow().UtcTicks - options.HistoryMinAge.Ticks;
        var byAge = cutoffTicks <= 0 ? null : await SqlCommands.ScalarInt64Async(writer, transaction,
            "SELECT rv FROM changes WHERE at < $cutoff ORDER BY at DESC, rv DESC LIMIT 1;", cancellationToken, ("$cutoff", cutoffTicks));

        // (at, rv) order is rv order, and the small covering index on `at` is cheaper to step through than
        // the table's rows with their JSON.
        var byCount = await SqlCommands.ScalarInt64Async(writer, transaction,
            "SELECT rv FROM changes ORDER BY at DESC, rv DESC LIMIT 1 OFFSET $keep;", cancellationToken, ("$keep", options.HistoryMinChanges));
        if (byAge is not { } age || byCount is not { } count || Math.Min(age, count) <= compactedThrough)
        {
            await transaction.CommitAsync(cancellationToken);
            return new Result(compactedThrough, 0);
        }

        // A bounded batch per run keeps the write lock short after a long pause; the next run goes on.
        var batchEnd = await SqlCommands.ScalarInt64Async(writer, transaction,
            "SELECT rv FROM changes WHERE rv > $from ORDER BY rv LIMIT 1 OFFSET $skip;", cancellationToken,
            ("$from", compactedThrough), ("$skip", MaxDeletesPerRun - 1));
        var through = Math.Min(Math.Min(age, count), batchEnd ?? long.MaxValue);
        var deleted = await SqlCommands.ExecuteAsync(writer, transaction,
            "DELETE FROM changes WHERE rv <= $through;", cancellationToken, ("$through", through));
        await SqlCommands.ExecuteAsync(writer, transaction,
            "UPDATE meta SET value = $through WHERE key = $key;", cancellationToken,
            ("$through", through), ("$key", SqliteMigrator.CompactedThroughKey));
        await transaction.CommitAsync(cancellationToken);
        return new Result(through, deleted);
    }
}
