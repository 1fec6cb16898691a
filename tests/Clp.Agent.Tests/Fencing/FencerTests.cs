using Clp.Agent.Fencing;
using Clp.Agent.Reconciliation;
using Clp.Agent.Tests.Reconciliation;
using Clp.Core.Drivers;
using Clp.Drivers.Simulated;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clp.Agent.Tests.Fencing;

public class FencerTests
{
    private readonly Fixture _f = new();

    private async Task StartAllAsync()
    {
        var executor = new GroupExecutor("c1", "s1", _f.Drivers, _f.Local, _ => true, _f.Time, NullLogger<GroupExecutor>.Instance);
        var plan = GroupPlanner.Plan("s1", Fixture.Store, 50, [Fixture.NewGroup("s1")], _f.ByGroup, _f.Local).Single();
        Assert.Equal(PlanOutcomeKind.Converged, (await executor.ExecuteAsync(plan, GroupEvent.Start, CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task Fence_StopsEverythingInReverseOrder_WithoutPowerOff()
    {
        await StartAllAsync();
        var system = new RecordingSystemActions("s1", _f.World);
        var cancelled = false;
        var fencer = new Fencer("c1", "s1", _f.Drivers, _f.Local, () => _f.ByGroup, system, _f.Time, NullLogger<Fencer>.Instance)
        {
            CancelInFlight = () => cancelled = true,
        };
        await fencer.FenceAsync("test", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.True(cancelled);
        Assert.Empty(_f.World.ActiveOn("app1"));
        Assert.Equal(["app1", "disk1", "fip1"], _f.World.History.Where(h => !h.Active).Select(h => h.Resource));
        Assert.Empty(system.Calls);
    }

    [Fact]
    public async Task Fence_WhenAStopFails_PowersOff()
    {
        await StartAllAsync();
        _f.World.FailDeactivation("s1", "disk1");
        var system = new RecordingSystemActions("s1", _f.World);
        var fencer = new Fencer("c1", "s1", _f.Drivers, _f.Local, () => _f.ByGroup, system, _f.Time, NullLogger<Fencer>.Instance);
        await fencer.FenceAsync("test", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal("PowerOff", Assert.Single(system.Calls).Action);
        Assert.Empty(_f.World.ActiveOn("fip1"));
        Assert.True(_f.World.IsPoweredOff("s1"));
    }

    [Fact]
    public async Task Fence_WhenAStopOutlivesTheBudget_PowersOffAtTheBudget()
    {
        await StartAllAsync();
        var slow = new Dictionary<string, IResourceDriver>(_f.Drivers, StringComparer.Ordinal)
        {
            ["appli"] = new SimulatedResourceDriver("appli", "s1", _f.World, _f.Time, TimeSpan.FromMinutes(5)),
        };
        var system = new RecordingSystemActions("s1", _f.World);
        var fencer = new Fencer("c1", "s1", slow, _f.Local, () => _f.ByGroup, system, _f.Time, NullLogger<Fencer>.Instance);
        var fence = fencer.FenceAsync("test", TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.False(fence.IsCompleted);
        _f.Time.Advance(TimeSpan.FromSeconds(2));
        await fence.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("PowerOff", Assert.Single(system.Calls).Action);
        Assert.Empty(_f.World.ActiveOn("app1"));
    }
}
