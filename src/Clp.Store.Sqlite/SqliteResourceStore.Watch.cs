using System.Runtime.CompilerServices;
using Clp.Core.Store;
using Clp.Store.Sqlite.Internal;

namespace Clp.Store.Sqlite;

/// <summary>The watch path: history first, then live changes, each read from one snapshot and woken by
/// commits.</summary>
public sealed partial class SqliteResourceStore
{
    public IAsyncEnumerable<WatchEvent> WatchAsync(WatchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.AfterResourceVersion, "query.AfterResourceVersion");
        ThrowIfNotOpen();
        return WatchCoreAsync(query, cancellationToken);
    }

    private async IAsyncEnumerable<WatchEvent> WatchCoreAsync(WatchQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var position = query.AfterResourceVersion;
        while (true)
        {
            // Taken before the read: a commit after the read's snapshot completes this task (ChangeSignal).
            var signal = _changes.Next;
            var batch = await ReadChangesAsync(query, position, linked.Token);
            foreach (var change in batch.Events)
            {
                yield return change;
            }

            position = batch.Position;
            if (!batch.More)
            {
                await WaitForCommitAsync(signal, linked.Token);
            }
        }
    }

    private async Task<ChangeFeed.Batch> ReadChangesAsync(WatchQuery query, long position, CancellationToken cancellationToken)
    {
        try
        {
            ThrowIfNotOpen();
            await using var connection = await _connections.OpenReaderAsync(cancellationToken);
            return await ChangeFeed.ReadAsync(connection, query, position, cancellationToken);
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(SqliteResourceStore), "The store was closed while watching.");
        }
    }

    private async Task WaitForCommitAsync(Task signal, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(SqliteResourceStore), "The store was closed while watching.");
        }
    }
}
