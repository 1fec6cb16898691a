using System.Text.Json.Nodes;
using Clp.Agent.View;
using Clp.Client.Watching;
using Clp.Core.Model;

namespace Clp.Cluster.Tests;

/// <summary>The agent's view of its cluster follows the API through a list and the change feed.</summary>
public sealed class ClusterViewCacheTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly ClusterApi _api = new();

    [Fact]
    public async Task View_AfterRelistAndWatch_ShowsEveryChange()
    {
        var client = _api.Client();
        await client.Clusters.CreateClusterAsync(new Core.Model.Cluster
        {
            Metadata = new ObjectMeta { Name = "c1" },
            Spec = new ClusterSpec { Interconnects = [new InterconnectSpec { Name = "lan1" }] },
        }, autoMonitors: false);
        await client.Groups.CreateGroupAsync("c1", new Group { Metadata = new ObjectMeta { Name = "g1" } });

        var cache = new ClusterViewCache(client, "c1");
        using var stop = new CancellationTokenSource(Bound);
        var changes = 0;
        var seen = new TaskCompletionSource();
        var watch = Task.Run(async () =>
        {
            await foreach (var change in client.Watcher.WatchClusterAsync("c1", cache.RelistAsync, cancellationToken: stop.Token))
            {
                if (change.Type != WatchEventType.Relisted && cache.Apply(change))
                {
                    changes++;
                }

                if (cache.Current.Resources.ContainsKey("fip1") && cache.Current.Groups["g1"].Status?.Epoch == 7)
                {
                    seen.TrySetResult();
                }
            }
        });

        await WaitAsync(() => cache.Current.Groups.ContainsKey("g1"), "the relist to show g1");
        await client.Resources.CreateResourceAsync("c1", new Resource
        {
            Metadata = new ObjectMeta { Name = "fip1" },
            Spec = new ResourceSpec { Group = "g1", Type = "fip", Parameters = new JsonObject { ["ip"] = "10.231.9.1" } },
        }, autoMonitors: false);
        await client.Groups.ReplaceGroupStatusAsync("c1", "g1", new GroupStatus { CurrentServer = "s1", Epoch = 7 });
        await seen.Task.WaitAsync(Bound);
        await stop.CancelAsync();
        await watch.WaitAsync(Bound);

        Assert.Equal(["fip1"], cache.Current.ResourcesByGroup()["g1"].Select(r => r.Metadata.Name));
        Assert.True(changes >= 2);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Bound);
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _api.Dispose();
}
