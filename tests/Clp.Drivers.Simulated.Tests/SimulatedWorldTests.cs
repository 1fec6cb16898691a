using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Drivers.Simulated.Tests;

public class SimulatedWorldTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly SimulatedWorld _world;

    public SimulatedWorldTests() => _world = new SimulatedWorld(_time);

    private static ResourceContext Fip(string server) => new("c1", server, "g1", "fip1", "fip", new JsonObject(), GroupEvent.Start, 1);

    [Fact]
    public async Task ActivateDeactivate_AreIdempotent_AndRecordedOnce()
    {
        var driver = new SimulatedResourceDriver("fip", "s1", _world, _time);
        await driver.ActivateAsync(Fip("s1"), CancellationToken.None);
        await driver.ActivateAsync(Fip("s1"), CancellationToken.None);
        Assert.Equal(["s1"], _world.ActiveOn("fip1"));
        Assert.True((await driver.ProbeAsync(Fip("s1"), CancellationToken.None)).Healthy);
        await driver.DeactivateAsync(Fip("s1"), CancellationToken.None);
        await driver.DeactivateAsync(Fip("s1"), CancellationToken.None);
        Assert.Empty(_world.ActiveOn("fip1"));
        Assert.Equal([true, false], _world.History.Select(h => h.Active));
    }

    [Fact]
    public async Task InjectedActivationFailure_FailsExactlyThatManyTimes()
    {
        var driver = new SimulatedResourceDriver("fip", "s1", _world, _time);
        _world.FailActivation("s1", "fip1", times: 2);
        await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(Fip("s1"), CancellationToken.None));
        await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(Fip("s1"), CancellationToken.None));
        await driver.ActivateAsync(Fip("s1"), CancellationToken.None);
        Assert.Equal(["s1"], _world.ActiveOn("fip1"));
    }

    [Fact]
    public async Task PowerOff_StopsEverythingOnTheServer_AndRefusesToAct()
    {
        var s1 = new SimulatedResourceDriver("fip", "s1", _world, _time);
        var s2 = new SimulatedResourceDriver("fip", "s2", _world, _time);
        await s1.ActivateAsync(Fip("s1"), CancellationToken.None);
        _world.PowerOff("s1");
        Assert.Empty(_world.ActiveOn("fip1"));
        await Assert.ThrowsAsync<DriverException>(() => s1.ActivateAsync(Fip("s1"), CancellationToken.None));
        await s2.ActivateAsync(Fip("s2"), CancellationToken.None);
        Assert.Equal(["s2"], _world.ActiveOn("fip1"));
    }

    [Fact]
    public async Task TargetMonitor_FailsWhenTargetInactive_AndInjectedFailureWins()
    {
        var probe = new SimulatedMonitorProbe("fipw", "s1", _world);
        var context = new MonitorContext("c1", "s1", "fipw-fip1", "fipw", new JsonObject(), "fip1", new JsonObject());
        Assert.False((await probe.ProbeAsync(context, CancellationToken.None)).Healthy);
        await new SimulatedResourceDriver("fip", "s1", _world, _time).ActivateAsync(Fip("s1"), CancellationToken.None);
        Assert.True((await probe.ProbeAsync(context, CancellationToken.None)).Healthy);
        _world.FailProbe("s1", "fipw-fip1", "link down");
        Assert.Equal("link down", (await probe.ProbeAsync(context, CancellationToken.None)).Message);
        _world.HealProbe("s1", "fipw-fip1");
        Assert.True((await probe.ProbeAsync(context, CancellationToken.None)).Healthy);
    }

    [Fact]
    public async Task Delay_UsesTheInjectedClock()
    {
        var driver = new SimulatedResourceDriver("appli", "s1", _world, _time, TimeSpan.FromSeconds(5));
        var activation = driver.ActivateAsync(Fip("s1"), CancellationToken.None);
        Assert.False(activation.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        await activation.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["s1"], _world.ActiveOn("fip1"));
    }

    [Fact]
    public void Catalog_HasASimulatedDriverForEverySupportedType()
    {
        var drivers = SimulatedDrivers.ResourceDrivers("s1", _world, _time).Select(d => d.Type).ToHashSet();
        Assert.Contains("fip", drivers);
        Assert.Contains("appli", drivers);
        Assert.DoesNotContain("vcom", drivers);
        var probes = SimulatedDrivers.MonitorProbes("s1", _world).Select(p => p.Type).ToHashSet();
        Assert.Contains("userw", probes);
        Assert.DoesNotContain("cifsw", probes);
    }

    [Fact]
    public async Task RecordingSystemActions_RecordsAndPowersOff()
    {
        var actions = new RecordingSystemActions("s1", _world);
        await new SimulatedResourceDriver("fip", "s1", _world, _time).ActivateAsync(Fip("s1"), CancellationToken.None);
        await actions.RebootAsync("final action", CancellationToken.None);
        Assert.Single(actions.Calls);
        Assert.Empty(_world.ActiveOn("fip1"));
        Assert.False(_world.IsPoweredOff("s1"));
    }
}
