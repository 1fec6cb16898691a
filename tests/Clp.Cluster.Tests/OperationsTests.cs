using System.Text.Json.Nodes;
using Clp.Core.Model;

namespace Clp.Cluster.Tests;

/// <summary>SIMULATION: the agent-owned operations, monitor final actions and API restarts, with the API and
/// three agents in one process; ground truth is the simulated world, never CLP's own records.</summary>
public class OperationsTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SimulatedCluster _cluster = new();

    public async Task InitializeAsync() => await _cluster.CreateAsync("s1", "s2", "s3");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ResourceStop_HoldsItAndItsDependentsOffline_ResourceStart_BringsThemBack()
    {
        await StartAllAsync();
        var world = _cluster.World;

        var stopped = await RunAsync(OperationVerb.ResourceStop, "Resource", "fip1");
        Assert.Equal(OperationPhase.Succeeded, stopped.Status!.Phase);
        Assert.Empty(world.ActiveOn("fip1"));
        Assert.Empty(world.ActiveOn("app1")); // app1 depends on fip1
        Assert.Equal("s1", (await _cluster.GroupAsync()).Status!.CurrentServer);

        // It stays offline through later reconciles (the agent resyncs every second).
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(world.ActiveOn("fip1"));

        var started = await RunAsync(OperationVerb.ResourceStart, "Resource", "fip1");
        Assert.Equal(OperationPhase.Succeeded, started.Status!.Phase);
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s1"])), "app1 to run on s1 again", Bound);
        Assert.Equal(["s1"], world.ActiveOn("fip1"));
        FailoverTests.AssertNeverOnTwoServers(world, "app1");
    }

    [Fact]
    public async Task ResourceStop_OfAStoppedGroup_FailsWithAReason()
    {
        await StartAllAsync();
        await RunAsync(OperationVerb.GroupStop, "Group", "g1");
        var operation = await RunAsync(OperationVerb.ResourceStop, "Resource", "app1");
        Assert.Equal(OperationPhase.Failed, operation.Status!.Phase);
        Assert.Contains("not running", operation.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailureVerification_RunsTheMonitorsRecovery_AndReportsTheStep()
    {
        await CreateMonitorAsync(restarts: 1, failovers: 1, FinalAction.None, retry: 1);
        await StartAllAsync();
        var world = _cluster.World;

        var operation = await RunAsync(OperationVerb.FailureVerification, "Monitor", "appliw1");

        Assert.Equal(OperationPhase.Succeeded, operation.Status!.Phase);
        Assert.Contains("Restart of resource app1", operation.Status.Message, StringComparison.Ordinal);
        Assert.Contains("s1", operation.Status.Message, StringComparison.Ordinal);

        // Ground truth: app1 was stopped and started again on s1 (the restart), and the group stayed there.
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s1"])), "app1 to run on s1 after the restart", Bound);
        Assert.Equal([true, false, true], world.History.Where(h => h.Server == "s1" && h.Resource == "app1").Select(h => h.Active));
        Assert.DoesNotContain(world.History, h => h.Server != "s1");
    }

    [Fact]
    public async Task MonitorSuspend_StopsItsRecovery_AndResume_RestoresIt()
    {
        await CreateMonitorAsync(restarts: 1, failovers: 0, FinalAction.None);
        await StartAllAsync();
        var world = _cluster.World;

        var suspend = await RunAsync(OperationVerb.MonitorSuspend, "Monitor", "appliw1");
        Assert.Equal(OperationPhase.Succeeded, suspend.Status!.Phase);
        world.FailProbe("s1", "appliw1", "app1 does not answer");
        await SimulatedCluster.WaitForAsync(async () => MonitorState(await _cluster.Admin.Servers.GetServerAsync(SimulatedCluster.Name, "s1")) == ObjectState.Suspend,
            "appliw1 to read Suspend on s1", Bound);
        await Task.Delay(TimeSpan.FromSeconds(2)); // two intervals: a running monitor would have restarted app1
        Assert.Equal(1, world.History.Count(h => h.Resource == "app1"));

        await RunAsync(OperationVerb.MonitorResume, "Monitor", "appliw1");
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.History.Count(h => h.Resource == "app1" && !h.Active) >= 1),
            "the resumed monitor to restart app1", Bound);
    }

    [Fact]
    public async Task ClusterSuspend_StopsEveryMonitorAndItsRecovery_ResourcesKeepRunning_ResumeRestoresThem()
    {
        await CreateMonitorAsync(restarts: 1, failovers: 0, FinalAction.None);
        await StartAllAsync();
        var world = _cluster.World;

        await RunAsync(OperationVerb.ClusterSuspend, "Cluster", SimulatedCluster.Name);
        world.FailProbe("s1", "appliw1", "app1 does not answer");
        await SimulatedCluster.WaitForAsync(async () => MonitorState(await _cluster.Admin.Servers.GetServerAsync(SimulatedCluster.Name, "s1")) == ObjectState.Suspend,
            "appliw1 to read Suspend on s1 while the cluster is suspended", Bound);
        await Task.Delay(TimeSpan.FromSeconds(2)); // two intervals: a running monitor would have restarted app1
        Assert.Equal(1, world.History.Count(h => h.Resource == "app1"));
        Assert.Equal(["s1"], world.ActiveOn("app1"));

        await RunAsync(OperationVerb.ClusterResume, "Cluster", SimulatedCluster.Name);
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.History.Count(h => h.Resource == "app1" && !h.Active) >= 1),
            "the monitor to restart app1 after the resume", Bound);
    }

    [Fact]
    public async Task MonitorFinalAction_StopGroup_StopsTheGroupEverywhere()
    {
        await CreateMonitorAsync(restarts: 0, failovers: 0, FinalAction.StopGroup);
        await StartAllAsync();
        var world = _cluster.World;

        world.FailProbe("s1", "appliw1", "app1 does not answer");
        await SimulatedCluster.WaitForAsync(async () => (await _cluster.GroupAsync()).Status?.CurrentServer is null, "g1 to be stopped by the final action", Bound);
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").Count == 0 && world.ActiveOn("fip1").Count == 0),
            "every resource of g1 to be inactive", Bound);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(world.ActiveOn("app1"));
        Assert.DoesNotContain(world.History, h => h.Server != "s1"); // stopped, not failed over
    }

    [Fact]
    public async Task MonitorFinalAction_Shutdown_GoesThroughTheSystemActionsPort()
    {
        await CreateMonitorAsync(restarts: 0, failovers: 0, FinalAction.StopClusterServiceAndShutdown);
        await StartAllAsync();

        _cluster.World.FailProbe("s1", "appliw1", "app1 does not answer");
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(_cluster.Systems["s1"].Calls.Any(c => c.Action == "Shutdown")),
            "s1's shutdown through the system-actions port", Bound);
        Assert.Empty(_cluster.Systems["s2"].Calls);
    }

    [Fact]
    public async Task ServerReboot_ReleasesItsGroups_ThenReboots_AndTheServerReturns()
    {
        await StartAllAsync();
        var world = _cluster.World;

        var reboot = await RunAsync(OperationVerb.ServerReboot, "Server", "s1");
        Assert.Equal(OperationPhase.Succeeded, reboot.Status!.Phase);
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s2"])), "g1 to move to s2 before s1 reboots", Bound);
        await SimulatedCluster.WaitForAsync(() => Task.FromResult(_cluster.Systems["s1"].Calls.Any(c => c.Action == "Reboot")), "s1's reboot", Bound);
        FailoverTests.AssertNeverOnTwoServers(world, "app1");

        // The reboot: the old agent is gone, a new one starts; s1 is a member again once it joined.
        Assert.Single(_cluster.Systems["s1"].Calls.Where(c => c.Action == "Reboot").ToList());
        await _cluster.StopAgentAsync("s1");
        await _cluster.StartAgentAsync("s1");
        await SimulatedCluster.WaitForAsync(async () =>
            {
                var status = (await _cluster.Admin.Clusters.GetClusterAsync(SimulatedCluster.Name)).Status;
                return status?.LeftServers is null && status?.PoweringDown is null;
            },
            "s1 to return to the cluster after its reboot", Bound);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(_cluster.Systems["s1"].Calls); // the new agent does not reboot again
    }

    [Fact]
    public async Task AnAgentKey_Gets403_OnAnotherServersStatus_AndOnAnySpecWrite()
    {
        await StartAllAsync();
        var created = await _cluster.Admin.ApiKeys.CreateApiKeyAsync(SimulatedCluster.Name, new ApiKey
        {
            Metadata = new ObjectMeta { Name = "agent-s1-probe" },
            Spec = new ApiKeySpec { Role = ApiKeyRole.Agent, Server = "s1" },
        });
        var agent = _cluster.Client(created.Key!);

        await Assert.ThrowsAsync<Clp.Client.Problems.ClpForbiddenException>(() =>
            agent.Servers.ReplaceServerStatusAsync(SimulatedCluster.Name, "s2", new ServerStatus { Phase = ObjectState.Offline }));
        await Assert.ThrowsAsync<Clp.Client.Problems.ClpForbiddenException>(() =>
            agent.Groups.CreateGroupAsync(SimulatedCluster.Name, new Group { Metadata = new ObjectMeta { Name = "g9" } }));
        var group = await agent.Groups.GetGroupAsync(SimulatedCluster.Name, "g1"); // reading is allowed
        group.Spec.Description = "changed by an agent";
        await Assert.ThrowsAsync<Clp.Client.Problems.ClpForbiddenException>(() =>
            agent.Groups.ReplaceGroupAsync(SimulatedCluster.Name, "g1", group));
        await Assert.ThrowsAsync<Clp.Client.Problems.ClpForbiddenException>(() =>
            agent.Operations.CreateOperationAsync(SimulatedCluster.Name, new Operation
            {
                Spec = new OperationSpec { Verb = OperationVerb.GroupStop, Target = new ObjectReference { Kind = "Group", Name = "g1" } },
            }));
        Assert.Equal(["s1"], _cluster.World.ActiveOn("app1"));
    }

    internal static async Task StartAllAsync(SimulatedCluster cluster)
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await cluster.StartAgentAsync(server);
        }

        await SimulatedCluster.WaitForAsync(() => Task.FromResult(cluster.World.ActiveOn("app1").SequenceEqual(["s1"])), "g1 to run on s1", Bound);
    }

    private async Task StartAllAsync()
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await _cluster.StartAgentAsync(server);
        }

        await SimulatedCluster.WaitForAsync(() => Task.FromResult(_cluster.World.ActiveOn("app1").SequenceEqual(["s1"])), "g1 to run on s1", Bound);
    }

    private Task CreateMonitorAsync(int restarts, int failovers, FinalAction final, int retry = 0) =>
        _cluster.Admin.Monitors.CreateMonitorAsync(SimulatedCluster.Name, new Monitor
        {
            Metadata = new ObjectMeta { Name = "appliw1" },
            Spec = new MonitorSpec
            {
                Type = "appliw",
                Target = "app1",
                IntervalSeconds = 1,
                TimeoutSeconds = 1,
                RetryCount = retry,
                Recovery = new MonitorRecovery
                {
                    TargetKind = RecoveryTargetKind.Resource, Target = "app1", RestartCount = restarts, FailoverCount = failovers, FinalAction = final,
                },
            },
        });

    private static ObjectState? MonitorState(Server server) => server.Status?.Monitors?.GetValueOrDefault("appliw1")?.State;

    private Task<Operation> RunAsync(OperationVerb verb, string kind, string name, JsonObject? parameters = null) =>
        RunAsync(_cluster, verb, kind, name, parameters);

    /// <summary>Creates the operation and waits until it is final; returns it.</summary>
    internal static async Task<Operation> RunAsync(SimulatedCluster cluster, OperationVerb verb, string kind, string name, JsonObject? parameters = null)
    {
        var created = await cluster.Admin.Operations.CreateOperationAsync(SimulatedCluster.Name, new Operation
        {
            Spec = new OperationSpec { Verb = verb, Target = new ObjectReference { Kind = kind, Name = name }, Parameters = parameters },
        });
        Operation? current = null;
        await SimulatedCluster.WaitForAsync(async () =>
            {
                current = await cluster.Admin.Operations.GetOperationAsync(SimulatedCluster.Name, created.Metadata.Name);
                return current.Status?.Phase is OperationPhase.Succeeded or OperationPhase.Failed;
            },
            $"{verb} {kind} {name} to finish", Bound);
        return current!;
    }
}
