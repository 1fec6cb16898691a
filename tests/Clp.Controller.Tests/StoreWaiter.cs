using System.Text.Json.Nodes;
using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Controller.Tests;

/// <summary>Bounded waits on observed state: reads the object, then follows the store's change feed
/// until the predicate holds (no sleeps, no polling); the timeout message names what was awaited.</summary>
internal static class StoreWaiter
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static async Task<JsonNode> WaitAsync(this IResourceStore store, string cluster, KindInfo kind, string name, Func<JsonNode, bool> predicate, string what)
    {
        var key = new ObjectKey(kind.Kind, kind.TopLevel ? "" : cluster.ToLowerInvariant(), kind.TopLevel ? cluster : name);
        using var cts = new CancellationTokenSource(Bound);
        var from = await store.GetResourceVersionAsync(cts.Token);
        var current = await store.GetAsync(key, cts.Token);
        var last = current is null ? null : JsonNode.Parse(current.Json);
        if (last is not null && predicate(last))
        {
            return last;
        }

        try
        {
            var query = kind.TopLevel ? new WatchQuery("", kind.Kind, from) : new WatchQuery(key.Cluster, kind.Kind, from);
            await foreach (var change in store.WatchAsync(query, cts.Token))
            {
                if (!string.Equals(change.Object.Key.Name, key.Name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                last = JsonNode.Parse(change.Object.Json)!;
                if (change.Type != WatchEventType.Deleted && predicate(last))
                {
                    return last;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"waited {Bound.TotalSeconds} s for {what}; last seen {kind.Kind} {name}: {last?["status"]?.ToJsonString() ?? "(none)"}");
    }

    public static Task<JsonNode> WaitGroupAsync(this IResourceStore store, string cluster, string group, Func<JsonNode, bool> predicate, string what) =>
        store.WaitAsync(cluster, Kinds.Group, group, predicate, what);

    public static string? Current(this JsonNode group) => (string?)group["status"]?["currentServer"];

    public static long Epoch(this JsonNode group) => (long?)group["status"]?["epoch"] ?? 0;

    public static string? Reason(this JsonNode group) => (string?)group["status"]?["reason"];

    public static string? Phase(this JsonNode obj) => (string?)obj["status"]?["phase"];

    /// <summary>Every change of the cluster after <paramref name="after"/> until now, in order (ends at a
    /// marker event written for the purpose).</summary>
    public static async Task<List<WatchEvent>> HistoryAsync(this IResourceStore store, string cluster, long after)
    {
        using var cts = new CancellationTokenSource(Bound);
        var clusterKey = cluster.ToLowerInvariant();
        var marker = Api.Fresh("history");
        var written = await store.WriteAsync((tx, _) => tx.CreateAsync(new ObjectKey(Kinds.Event.Kind, clusterKey, marker),
            "{\"apiVersion\":\"clp/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"" + marker + "\"},\"spec\":{\"module\":\"test\",\"eventId\":1,\"message\":\"history marker\"}}"), cts.Token);
        var events = new List<WatchEvent>();
        await foreach (var change in store.WatchAsync(new WatchQuery(clusterKey, null, after), cts.Token))
        {
            if (change.ResourceVersion >= written.ResourceVersion)
            {
                break;
            }

            events.Add(change);
        }

        return events;
    }
}
