using System.Text.Json.Nodes;
using Clp.Core.Model;

namespace Clp.Cluster.Tests;

/// <summary>SIMULATION: clp-api restarts under a running cluster (heartbeat timeout 8 s, so that the restart,
/// down for 1 s plus the new instance's start, stays inside every agent's T − F and nobody fences).</summary>
public class ApiRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SimulatedCluster _cluster = new(intervalMs: 500, timeoutMs: 8000);

    public async Task InitializeAsync() => await _cluster.CreateAsync("s1", "s2", "s3");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ApiRestart_CausesNoFailover_AndTheClusterCarriesOn()
    {
        await OperationsTests.StartAllAsync(_cluster);
        var world = _cluster.World;
        var before = (await _cluster.GroupAsync()).Status!.Epoch;

        // A restart as a process restart takes it (well under T, so no agent fences): the new controller has
        // no renewal on record, and only its grace after start (a fresh T + M for every lease) keeps it from
        // judging the servers down.
        await _cluster.RestartApiAsync(TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromMilliseconds(_cluster.TimeoutMs + 1000));

        var group = await _cluster.GroupAsync();
        Assert.Equal("s1", group.Status!.CurrentServer);
        var events = (await _cluster.Admin.Events.ListEventsAsync(SimulatedCluster.Name)).Items;
        Assert.True(before == group.Status.Epoch, "re-placed after the restart:\n" + string.Join("\n", events.Select(e => $"{e.Spec.Module} {e.Spec.EventId} {e.Spec.Message}")));
        Assert.DoesNotContain(events, e => e.Spec is { Module: "agent", EventId: Agent.Node.AgentEvents.Fenced });
        Assert.Equal(["s1"], world.ActiveOn("app1"));
        Assert.Equal(2, world.History.Count); // fip1 and app1 started once, nothing since

        // And the restarted API still drives the cluster: a move lands.
        var move = await OperationsTests.RunAsync(_cluster, OperationVerb.GroupMove, "Group", "g1", new JsonObject { ["server"] = "s2" });
        Assert.Equal(OperationPhase.Succeeded, move.Status!.Phase);
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s2"])), "g1 to move to s2", Bound);
        FailoverTests.AssertNeverOnTwoServers(world, "app1");
    }
}
