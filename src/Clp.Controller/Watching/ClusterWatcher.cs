using Clp.Controller.Leases;
using Clp.Core.Model;
using Clp.Core.Store;
using Microsoft.Extensions.Logging;

namespace Clp.Controller.Watching;

/// <summary>Turns the store's change feed into work: the clusters feed starts and stops one feed per
/// cluster, and every relevant change of a cluster queues that cluster's key (level-triggered: the
/// reconcile re-reads everything, so the change itself is not passed on).</summary>
/// <remarks>Events and API keys do not affect placement and are skipped (the controller's own events
/// would otherwise wake it again). A history gap (410) ends the session; the caller lists again.</remarks>
internal sealed partial class ClusterWatcher(IResourceStore store, LeaseRegistry registry, Action<string> enqueue, Action<string> forget, ILogger logger)
{
    private readonly Dictionary<string, CancellationTokenSource> _feeds = new(StringComparer.Ordinal);
    private readonly List<Task> _tasks = [];

    /// <summary>Watches clusters after <paramref name="after"/> (the list the session started from) and
    /// every cluster in <paramref name="clusters"/>, until cancelled or the history has a gap.</summary>
    public async Task RunAsync(IReadOnlyCollection<string> clusters, long after, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var cluster in clusters)
            {
                StartFeed(cluster, after, cancellationToken);
            }

            await foreach (var change in store.WatchAsync(new WatchQuery("", Kinds.Cluster.Kind, after), cancellationToken))
            {
                var key = change.Object.Key.Name.ToLowerInvariant();
                if (change.Type == WatchEventType.Deleted)
                {
                    StopFeed(key);
                    forget(key);
                    continue;
                }

                if (!_feeds.ContainsKey(key))
                {
                    // Its contents come after its creation: watching from just before it misses nothing.
                    StartFeed(key, change.ResourceVersion - 1, cancellationToken);
                }

                enqueue(key);
            }
        }
        finally
        {
            foreach (var feed in _feeds.Values)
            {
                await feed.CancelAsync();
            }

            await Task.WhenAll(_tasks).ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var feed in _feeds.Values)
            {
                feed.Dispose();
            }

            _feeds.Clear();
        }
    }

    private void StartFeed(string cluster, long after, CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _feeds[cluster] = cts;
        _tasks.Add(Task.Run(() => FeedAsync(cluster, after, cts.Token), CancellationToken.None));
    }

    private void StopFeed(string cluster)
    {
        if (_feeds.Remove(cluster, out var cts))
        {
            cts.Cancel();
            cts.Dispose();
        }
    }

    private async Task FeedAsync(string cluster, long after, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in store.WatchAsync(new WatchQuery(cluster, null, after), cancellationToken))
            {
                var kind = change.Object.Key.Kind;
                if (kind == Kinds.Event.Kind || kind == Kinds.ApiKey.Kind)
                {
                    continue;
                }

                if (kind == Kinds.Lease.Kind && change.Type == WatchEventType.Deleted)
                {
                    registry.Forget(cluster, change.Object.Key.Name);
                }

                enqueue(cluster);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with its cluster or the session.
        }
        catch (ResourceVersionGoneException e)
        {
            // A gap in the history: reconcile the cluster from scratch (it is level-triggered) and keep
            // watching from now.
            LogGap(cluster, e.Message);
            var now = await store.GetResourceVersionAsync(cancellationToken);
            enqueue(cluster);
            _ = Task.Run(() => FeedAsync(cluster, now, cancellationToken), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of cluster {Cluster} fell behind the history ({Detail}); reconciling it afresh")]
    private partial void LogGap(string cluster, string detail);
}
