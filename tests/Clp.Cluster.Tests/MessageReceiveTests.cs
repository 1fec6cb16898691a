using System.Text.Json.Nodes;
using Clp.Client;
using Clp.Core.Model;

namespace Clp.Cluster.Tests;

/// <summary>SIMULATION: the mrw (message receive) monitor with the API and three agents in one process: an
/// external tool's Event posted with an operator key is a monitor error on the server it names, and the
/// monitor's recovery fails g1 over; ground truth is the simulated world.</summary>
public class MessageReceiveTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SimulatedCluster _cluster = new();

    public async Task InitializeAsync() => await _cluster.CreateAsync("s1", "s2", "s3");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task MatchingEvent_FromAnOperator_FailsTheGroupOverFromS1ToS2()
    {
        await CreateMonitorAsync();
        await OperationsTests.StartAllAsync(_cluster);
        await WaitForMonitorNormalAsync("s1");
        var world = _cluster.World;

        var operatorClient = await OperatorAsync();
        await operatorClient.Events.CreateEventAsync(SimulatedCluster.Name, Message("nm", "DB1 stopped answering", "s1"));

        await SimulatedCluster.WaitForAsync(() => Task.FromResult(world.ActiveOn("app1").SequenceEqual(["s2"])), "g1 to fail over to s2 after the message", Bound);
        await Task.Delay(TimeSpan.FromSeconds(2)); // two intervals: the message was consumed once, nothing bounces
        Assert.Equal(["s2"], world.ActiveOn("app1"));
        Assert.Equal(["s2"], world.ActiveOn("fip1"));
        Assert.Equal("s2", (await _cluster.GroupAsync()).Status!.CurrentServer);
        FailoverTests.AssertNeverOnTwoServers(world, "app1");
        Assert.DoesNotContain(world.History, h => h.Server == "s3");
    }

    [Fact]
    public async Task NonMatchingEvents_OtherCategoryOrKeyword_DoNothing()
    {
        await CreateMonitorAsync();
        await OperationsTests.StartAllAsync(_cluster);
        await WaitForMonitorNormalAsync("s1");
        var world = _cluster.World;

        var operatorClient = await OperatorAsync();
        await operatorClient.Events.CreateEventAsync(SimulatedCluster.Name, Message("batch", "DB1 stopped answering", "s1"));
        await operatorClient.Events.CreateEventAsync(SimulatedCluster.Name, Message("nm", "db2 stopped answering", null));

        await Task.Delay(TimeSpan.FromSeconds(3)); // three intervals of the monitor
        Assert.Equal(["s1"], world.ActiveOn("app1"));
        Assert.DoesNotContain(world.History, h => h.Server != "s1");
        Assert.Equal(1, world.History.Count(h => h.Resource == "app1"));
        Assert.Equal(ObjectState.Normal, await MonitorStateAsync("s1"));
    }

    private async Task<ClpClient> OperatorAsync()
    {
        var created = await _cluster.Admin.ApiKeys.CreateApiKeyAsync(SimulatedCluster.Name, new ApiKey
        {
            Metadata = new ObjectMeta { Name = $"ops-{Guid.NewGuid():N}"[..20] },
            Spec = new ApiKeySpec { Role = ApiKeyRole.Operator },
        });
        return _cluster.Client(created.Key!);
    }

    private static Event Message(string module, string text, string? server) => new()
    {
        Spec = new EventSpec { Module = module, EventId = 1, Severity = EventSeverity.Error, Message = text, Server = server },
    };

    private Task CreateMonitorAsync() =>
        _cluster.Admin.Monitors.CreateMonitorAsync(SimulatedCluster.Name, new Monitor
        {
            Metadata = new ObjectMeta { Name = "mrw1" },
            Spec = new MonitorSpec
            {
                Type = "mrw",
                IntervalSeconds = 1,
                TimeoutSeconds = 1,
                RetryCount = 0,
                Parameters = new JsonObject { ["category"] = "nm", ["keyword"] = "db1" },
                Recovery = new MonitorRecovery { TargetKind = RecoveryTargetKind.Group, Target = "g1", RestartCount = 0, FailoverCount = 1 },
            },
        });

    /// <summary>The monitor has started on <paramref name="server"/> once it reports Normal there; only messages
    /// posted after its start count.</summary>
    private Task WaitForMonitorNormalAsync(string server) =>
        SimulatedCluster.WaitForAsync(async () => await MonitorStateAsync(server) == ObjectState.Normal, $"mrw1 to read Normal on {server}", Bound);

    private async Task<ObjectState?> MonitorStateAsync(string server) =>
        (await _cluster.Admin.Servers.GetServerAsync(SimulatedCluster.Name, server)).Status?.Monitors?.GetValueOrDefault("mrw1")?.State;
}
