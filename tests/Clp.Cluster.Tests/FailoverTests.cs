using Clp.Core.Model;
using Clp.Drivers.Simulated;

namespace Clp.Cluster.Tests;

/// <summary>API + 3 agents in one process with simulated drivers (SIMULATION; the real-server tier comes later).</summary>
public sealed class FailoverTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SimulatedCluster _cluster = new();

    public Task InitializeAsync() => _cluster.CreateAsync("s1", "s2", "s3");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ActiveServerDies_GroupFailsOverToNextInPolicyOrder_NeverOnTwoServers()
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await _cluster.StartAgentAsync(server);
        }

        var world = _cluster.World;
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s1"]) && world.ActiveOn("fip1").SequenceEqual(["s1"])),
            "g1 (fip1, app1) to run on s1", Bound);
        Assert.Equal(["fip1", "app1"], world.History.Where(h => h.Active).Select(h => h.Resource));

        var killedAt = DateTimeOffset.UtcNow;
        await _cluster.KillServerAsync("s1");
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s2"])), "g1 to fail over to s2", Bound);
        var failedOverAt = world.History.Last(h => h.Active && h.Server == "s2" && h.Resource == "fip1").At;
        var group = await _cluster.GroupAsync();
        Assert.Equal("s2", group.Status!.CurrentServer);

        // Failover began no earlier than the last renewal + T + M (the kill stopped renewals): at least T after the kill.
        Assert.True(failedOverAt - killedAt >= TimeSpan.FromMilliseconds(_cluster.TimeoutMs),
            $"failover {(failedOverAt - killedAt).TotalMilliseconds:F0} ms after the kill, before T = {_cluster.TimeoutMs} ms");
        output.WriteLine($"failover: g1 active on s2 {(failedOverAt - killedAt).TotalMilliseconds:F0} ms after s1 died (heartbeat interval {_cluster.IntervalMs} ms, timeout {_cluster.TimeoutMs} ms)");
        AssertNeverOnTwoServers(world, "fip1");
        AssertNeverOnTwoServers(world, "app1");
    }

    [Fact]
    public async Task GroupMove_LandsOnTarget_TwoPhase_NeverOnTwoServers()
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await _cluster.StartAgentAsync(server);
        }

        var world = _cluster.World;
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s1"])), "g1 to run on s1", Bound);
        await _cluster.Admin.Operations.CreateOperationAsync(SimulatedCluster.Name, new Core.Model.Operation
        {
            Spec = new Core.Model.OperationSpec
            {
                Verb = Core.Model.OperationVerb.GroupMove,
                Target = new Core.Model.ObjectReference { Kind = "Group", Name = "g1" },
                Parameters = new System.Text.Json.Nodes.JsonObject { ["server"] = "s3" },
                ClientRequestId = "move-1",
            },
        });
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s3"]) && world.ActiveOn("fip1").SequenceEqual(["s3"])),
            "g1 to move to s3", Bound);
        var operations = await _cluster.Admin.Operations.ListOperationsAsync(SimulatedCluster.Name);
        await SimulatedCluster.WaitForAsync(async () =>
                (await _cluster.Admin.Operations.ListOperationsAsync(SimulatedCluster.Name)).Items.Single().Status?.Phase == Core.Model.OperationPhase.Succeeded,
            "the move operation to succeed", Bound);
        Assert.NotEmpty(operations.Items);
        AssertNeverOnTwoServers(world, "fip1");
        AssertNeverOnTwoServers(world, "app1");

        // Released in reverse dependency order on s1 before anything started on s3.
        var s1Stops = world.History.Where(h => h.Server == "s1" && !h.Active).Select(h => h.Resource).ToList();
        Assert.Equal(["app1", "fip1"], s1Stops);
    }

    [Fact]
    public async Task RestartedAgent_AdoptsItsRunningGroup_WithoutRestartingIt()
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await _cluster.StartAgentAsync(server);
        }

        var world = _cluster.World;
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s1"])), "g1 to run on s1", Bound);
        var before = world.History.Count;
        var epochBefore = (await _cluster.GroupAsync()).Status!.Epoch;

        // The agent process restarts; the resources keep running (an agent crash is not a server death).
        await _cluster.StopAgentAsync("s1");
        var restarted = await _cluster.StartAgentAsync("s1");
        await SimulatedCluster.WaitForAsync(async () => (await _cluster.GroupAsync()).Status!.Epoch > epochBefore, "the placement to be re-issued for the new incarnation", Bound);
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(restarted.Local.Group("g1")?.State == ObjectState.Online), "the restarted agent to report g1 Online", Bound);
        Assert.Equal("s1", (await _cluster.GroupAsync()).Status!.CurrentServer);
        Assert.Equal(before, world.History.Count);
        Assert.Equal(["s1"], world.ActiveOn("app1"));
    }

    [Fact]
    public async Task AgentCutFromTheApi_FencesBeforeTheFailover_AndRejoinsWithoutTheGroup()
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await _cluster.StartAgentAsync(server);
        }

        var world = _cluster.World;
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s1"])), "g1 to run on s1", Bound);
        var incarnation = _cluster.Agents["s1"].Lease.Grant!.Incarnation;

        _cluster.CutLeases["s1"] = true;
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s2"]) && world.ActiveOn("fip1").SequenceEqual(["s2"])),
            "g1 to fail over to s2", Bound);

        // The agent fenced itself (T - F after its last renewal) before the controller judged it down (T + M).
        var fenced = world.History.Last(h => h.Server == "s1" && !h.Active && h.Resource == "fip1").At;
        var started = world.History.First(h => h.Server == "s2" && h.Active && h.Resource == "fip1").At;
        Assert.True(fenced < started, $"s1 released fip1 at {fenced:O}, after s2 started it at {started:O}");
        AssertNeverOnTwoServers(world, "fip1");
        AssertNeverOnTwoServers(world, "app1");

        // Its fence is in the alert log once it can reach the API again.
        _cluster.CutLeases.TryRemove("s1", out _);
        await SimulatedCluster.WaitForAsync(async () =>
                (await _cluster.Admin.Events.ListEventsAsync(SimulatedCluster.Name, server: "s1")).Items.Any(e => e.Spec.EventId == Agent.Node.AgentEvents.Fenced),
            "s1's fence event", Bound);

        // Reconnected, it joins again with a new incarnation and does not take the group back.
        _cluster.CutLeases.TryRemove("s1", out _);
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(_cluster.Agents["s1"].Lease.Grant?.Incarnation > incarnation), "s1 to rejoin", Bound);
        Assert.Equal(["s2"], world.ActiveOn("app1"));
        Assert.Equal("s2", (await _cluster.GroupAsync()).Status!.CurrentServer);
    }

    [Fact]
    public async Task ActivationFailure_FailsTheGroupOver_NeverOnTwoServers()
    {
        _cluster.World.FailActivation("s1", "app1");
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await _cluster.StartAgentAsync(server);
        }

        var world = _cluster.World;
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s2"]) && world.ActiveOn("fip1").SequenceEqual(["s2"])),
            "g1 to fail over to s2 after app1 failed to start on s1", Bound);
        Assert.DoesNotContain("s1", world.ActiveOn("fip1"));
        AssertNeverOnTwoServers(world, "fip1");
        AssertNeverOnTwoServers(world, "app1");
        var group = await _cluster.GroupAsync();
        Assert.Equal("s2", group.Status!.CurrentServer);
    }

    [Fact]
    public async Task MonitorError_RestartsTheResource_ThenFailsTheGroupOver()
    {
        await _cluster.Admin.Monitors.CreateMonitorAsync(SimulatedCluster.Name, new Core.Model.Monitor
        {
            Metadata = new Core.Model.ObjectMeta { Name = "appliw1" },
            Spec = new Core.Model.MonitorSpec
            {
                Type = "appliw",
                Target = "app1",
                IntervalSeconds = 1,
                TimeoutSeconds = 1,
                RetryCount = 0,
                Recovery = new Core.Model.MonitorRecovery { TargetKind = Core.Model.RecoveryTargetKind.Resource, Target = "app1", RestartCount = 1, FailoverCount = 1 },
            },
        });
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await _cluster.StartAgentAsync(server);
        }

        var world = _cluster.World;
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s1"])), "g1 to run on s1", Bound);
        world.FailProbe("s1", "appliw1", "app1 does not answer");
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s2"])), "g1 to fail over to s2 after the restart did not help", Bound);

        // First the restart on s1 (stop and start app1 there), then the failover.
        var app1OnS1 = world.History.Where(h => h.Server == "s1" && h.Resource == "app1").Select(h => h.Active).ToList();
        Assert.Equal([true, false, true, false], app1OnS1);
        AssertNeverOnTwoServers(world, "fip1");
        AssertNeverOnTwoServers(world, "app1");
        await SimulatedCluster.WaitForAsync(async () =>
                (await _cluster.Admin.Monitors.GetMonitorAsync(SimulatedCluster.Name, "appliw1")).Status?.Servers?.GetValueOrDefault("s2")?.State == ObjectState.Normal,
            "appliw1 to be Normal on s2", Bound);

        // The alert log has the agents' side of it: the monitor error on s1 and the group online on s2.
        await SimulatedCluster.WaitForAsync(async () =>
            {
                var events = (await _cluster.Admin.Events.ListEventsAsync(SimulatedCluster.Name)).Items;
                return events.Any(e => e.Spec is { Module: "agent", EventId: Agent.Node.AgentEvents.MonitorError, Server: "s1" })
                    && events.Any(e => e.Spec is { Module: "agent", EventId: Agent.Node.AgentEvents.GroupOnline, Server: "s2" });
            },
            "the agents' monitor-error and group-online events", Bound);
    }

    [Fact]
    public async Task ClusterStop_ReleasesEveryGroupInReverseDependencyOrder_AndSuspendResumeKeepsThemRunning()
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await _cluster.StartAgentAsync(server);
        }

        var world = _cluster.World;
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s1"])), "g1 to run on s1", Bound);

        await RunOperationAsync(Core.Model.OperationVerb.ClusterSuspend, "suspend-1");
        await RunOperationAsync(Core.Model.OperationVerb.ClusterResume, "resume-1");
        Assert.Equal(["s1"], world.ActiveOn("app1"));
        Assert.Equal(2, world.History.Count);

        await RunOperationAsync(Core.Model.OperationVerb.ClusterStop, "stop-1");
        Assert.Empty(world.ActiveOn("app1"));
        Assert.Empty(world.ActiveOn("fip1"));
        Assert.Equal(["app1", "fip1"], world.History.Where(h => !h.Active).Select(h => h.Resource));
    }

    [Fact]
    public async Task SuspendedCluster_ADeadServerIsNotFailedOver_UntilTPlusMAfterTheResume()
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await _cluster.StartAgentAsync(server);
        }

        var world = _cluster.World;
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s1"])), "g1 to run on s1", Bound);
        await RunOperationAsync(Core.Model.OperationVerb.ClusterSuspend, "suspend-dead");
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(_cluster.Agents.Values.All(a => a.ClusterSuspended)), "every agent to see the suspend", Bound);

        // s1 dies during the suspend; twice T + M later nothing has failed over and nobody fenced.
        await _cluster.KillServerAsync("s1");
        await Task.Delay(TimeSpan.FromMilliseconds(2.2 * _cluster.TimeoutMs));
        Assert.Empty(world.ActiveOn("app1"));
        Assert.Equal("s1", (await _cluster.GroupAsync()).Status!.CurrentServer);
        Assert.False((await _cluster.Admin.Leases.GetLeaseAsync(SimulatedCluster.Name, "s1")).Status!.Revoked, "s1 was judged down while the cluster was suspended");
        Assert.All(_cluster.Agents.Values, a => Assert.Null(a.Lease.LastFence)); // the others kept renewing

        // Resumed: s1 is judged down only after a fresh T + M, then g1 fails over to s2.
        var resumedAt = DateTimeOffset.UtcNow;
        await RunOperationAsync(Core.Model.OperationVerb.ClusterResume, "resume-dead");
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s2"])), "g1 to fail over to s2 after the resume", Bound);
        var failedOverAt = world.History.Last(h => h.Active && h.Server == "s2" && h.Resource == "fip1").At;
        Assert.True(failedOverAt - resumedAt >= TimeSpan.FromMilliseconds(_cluster.TimeoutMs),
            $"failover {(failedOverAt - resumedAt).TotalMilliseconds:F0} ms after the resume, before T = {_cluster.TimeoutMs} ms");
        output.WriteLine($"failover after resume: {(failedOverAt - resumedAt).TotalMilliseconds:F0} ms (timeout {_cluster.TimeoutMs} ms)");
        AssertNeverOnTwoServers(world, "fip1");
        AssertNeverOnTwoServers(world, "app1");
    }

    private async Task RunOperationAsync(Core.Model.OperationVerb verb, string requestId)
    {
        var created = await _cluster.Admin.Operations.CreateOperationAsync(SimulatedCluster.Name, new Core.Model.Operation
        {
            Spec = new Core.Model.OperationSpec
            {
                Verb = verb,
                Target = new Core.Model.ObjectReference { Kind = "Cluster", Name = SimulatedCluster.Name },
                ClientRequestId = requestId,
            },
        });
        await SimulatedCluster.WaitForAsync(async () =>
                (await _cluster.Admin.Operations.GetOperationAsync(SimulatedCluster.Name, created.Metadata.Name)).Status?.Phase == Core.Model.OperationPhase.Succeeded,
            $"{verb} to succeed", Bound);
    }

    /// <summary>Replays the ground truth: at no moment was the resource active on two servers.</summary>
    internal static void AssertNeverOnTwoServers(SimulatedWorld world, string resource)
    {
        var active = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var change in world.History.Where(h => string.Equals(h.Resource, resource, StringComparison.OrdinalIgnoreCase)))
        {
            if (change.Active)
            {
                active.Add(change.Server);
                Assert.True(active.Count <= 1, $"{resource} active on {string.Join(" and ", active)} at {change.At:O}");
            }
            else
            {
                active.Remove(change.Server);
            }
        }
    }
}
