using Clp.FenceGuard.Guarding;
using Clp.FenceGuard.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using static Clp.FenceGuard.Tests.GuardKit;

namespace Clp.FenceGuard.Tests;

/// <summary>The guard's start-up priming runs the request path and changes nothing: a guard started while an older
/// incarnation's deadline is armed keeps it, and a fresh guard still has no resource list.</summary>
public sealed class GuardServerTests
{
    private static readonly TimeSpan F = TimeSpan.FromMilliseconds(600);
    private static readonly TimeSpan T = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Prime_OnAFreshGuard_LeavesItDisarmed_WithNoResourceList()
    {
        await using var kit = new GuardKit();
        using var server = new GuardServer(new GuardSettings("/nonexistent", "c1", "s1", false, null), kit.Guard, NullLogger.Instance);

        server.Prime();

        Assert.Equal("Disarmed", kit.Guard.Status().State);
        Assert.Null(kit.Guard.Status().LastFire);
        // The sample arm's list was not kept: a first arm without a list is still refused.
        Assert.Throws<InvalidOperationException>(() => kit.Guard.Arm(7, kit.Now + T, F, T, null));
    }

    [Fact]
    public async Task Prime_OnAnArmedGuard_KeepsTheDeadlineAndTheList()
    {
        await using var kit = new GuardKit();
        kit.Driver.Active.Add("fip1");
        var fenceAt = kit.Now + TimeSpan.FromSeconds(2);
        var before = kit.Guard.Arm(5, fenceAt, F, T, [Group("g1", Resource("fip1"))]);
        using var server = new GuardServer(new GuardSettings("/nonexistent", "c1", "s1", false, null), kit.Guard, NullLogger.Instance);

        server.Prime();

        var after = kit.Guard.Status();
        Assert.Equal(("Armed", 5L, before.ActAtTicks), (after.State, after.ArmedIncarnation!.Value, after.ActAtTicks));
        kit.AdvanceTo(GuardTiming.ActAt(fenceAt, F));
        var fire = await NextAsync(kit.Fires, "the armed incarnation's release");
        Assert.Equal(5L, fire.Incarnation);
        Assert.Equal(["fip1"], fire.Released);
    }
}
