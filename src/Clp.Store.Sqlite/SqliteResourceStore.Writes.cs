using Clp.Core.Store;
using Clp.Store.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Clp.Store.Sqlite;

/// <summary>The write path: one serialized SQLite transaction per <see cref="WriteAsync{T}"/>, then the
/// watcher wake-up and, when due, history compaction.</summary>
public sealed partial class SqliteResourceStore
{
    /// <remarks>Calling <see cref="WriteAsync{T}"/> from inside <paramref name="work"/> throws (it would wait
    /// for itself). Disposing the store cancels the work's token.</remarks>
    public async Task<T> WriteAsync<T>(Func<IStoreTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ThrowIfNotOpen();
        if (_currentTransaction.Value is { IsCompleted: false })
        {
            throw new InvalidOperationException(
                "WriteAsync was called from inside a write's work; writers are serialized, so it would wait for itself. Use the transaction passed to the work.");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        await _writeLock.WaitAsync(linked.Token);
        try
        {
            var writer = ThrowIfNotOpen();
            var (result, lastResourceVersion) = await RunTransactionAsync(writer, work, linked.Token);
            if (lastResourceVersion > 0)
            {
                _changes.Notify();
                await CompactIfDueAsync(writer);
            }

            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<(T Result, long LastResourceVersion)> RunTransactionAsync<T>(
        SqliteConnection writer, Func<IStoreTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var sqliteTransaction = writer.BeginTransaction(deferred: false);
        var transaction = new SqliteStoreTransaction(writer, sqliteTransaction, _time, _lastAtTicks);
        _currentTransaction.Value = transaction;
        try
        {
            var result = await work(transaction, cancellationToken);
            transaction.Complete();

            // The commit must not be torn by a cancellation: it runs uncancelled once the work is done.
            sqliteTransaction.Commit();
            _lastAtTicks = transaction.LastAtTicks;
            return (result, transaction.LastResourceVersion);
        }
        catch
        {
            transaction.Complete();
            RollBack(sqliteTransaction);
            throw;
        }
        finally
        {
            sqliteTransaction.Dispose();
        }
    }

    private void RollBack(SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // SQLite rolls back by itself after some errors (a full disk, an I/O error); nothing is left to undo.
            LogWarningRollbackFailed(ex);
        }
    }

    private async Task CompactIfDueAsync(SqliteConnection writer)
    {
        if (!_compactor.IsDue)
        {
            return;
        }

        try
        {
            var result = await _compactor.RunAsync(writer);
            if (result.Deleted > 0)
            {
                LogDebugCompacted(result.Deleted, result.CompactedThrough);
            }
        }
#pragma warning disable CA1031 // The write has committed: failing the call would make its caller retry a write that happened.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogErrorCompactionFailed(ex);
        }
    }
}
