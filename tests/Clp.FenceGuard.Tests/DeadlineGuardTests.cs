using Clp.FenceGuard.Guarding;
using static Clp.FenceGuard.Tests.GuardKit;

namespace Clp.FenceGuard.Tests;

/// <summary>The guard's deadline logic on a fake clock: arm, re-arm, disarm, the release at D + F / 10 and not a
/// tick before, and the power off at D + F (= lease age T) when something is still held.</summary>
public class DeadlineGuardTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan F = TimeSpan.FromMilliseconds(1200);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task Arm_ReleasesAtFenceDeadlinePlusGrace_NotATickBefore()
    {
        await using var kit = new GuardKit();
        kit.Driver.Active.UnionWith(["fip1", "sd1", "app1"]);
        var fenceAt = kit.Now + TimeSpan.FromSeconds(4);
        kit.Guard.Arm(7, fenceAt, F, T, [Group("g1", Resource("app1"), Resource("sd1"), Resource("fip1"))]);
        var actAt = fenceAt + TimeSpan.FromMilliseconds(120);

        kit.AdvanceTo(actAt - Tick);
        Assert.Equal("Armed", kit.Guard.Status().State);
        Assert.Equal(actAt.Ticks, kit.Guard.Status().ActAtTicks);
        Assert.Equal(3, kit.Driver.Active.Count);

        kit.AdvanceTo(actAt);
        var fire = await NextAsync(kit.Fires, "the release at D + F/10");
        Assert.Equal(7, fire.Incarnation);
        Assert.Empty(kit.Driver.Active);
        Assert.Equal(["app1", "sd1", "fip1"], kit.Driver.Order);
        Assert.Equal(["app1", "sd1", "fip1"], fire.Released);
        Assert.Empty(fire.Held);
        Assert.False(fire.PoweredOff);
        Assert.Equal((T - F + TimeSpan.FromMilliseconds(120)).TotalMilliseconds, fire.LeaseAgeMs);
        Assert.False(kit.PowerOffs.Reader.TryRead(out _));
        Assert.Equal("Disarmed", kit.Guard.Status().State);
        Assert.Equal(7, kit.Guard.Status().LastFire?.Incarnation);
    }

    [Fact]
    public async Task Rearm_MovesTheDeadline_TheOldOneDoesNotFire()
    {
        await using var kit = new GuardKit();
        kit.Driver.Active.Add("fip1");
        var first = kit.Now + TimeSpan.FromSeconds(4);
        kit.Guard.Arm(7, first, F, T, [Group("g1", Resource("fip1"))]);
        var second = first + TimeSpan.FromMilliseconds(500);
        kit.AdvanceTo(first);

        // The next renewal's arm carries no list: the guard keeps the last one.
        kit.Guard.Arm(7, second, F, T, null);
        kit.AdvanceTo(GuardTiming.ActAt(first, F));
        Assert.Equal("Armed", kit.Guard.Status().State);
        kit.AdvanceTo(GuardTiming.ActAt(second, F) - Tick);
        Assert.Contains("fip1", kit.Driver.Active);

        kit.AdvanceTo(GuardTiming.ActAt(second, F));
        Assert.Equal(["fip1"], (await NextAsync(kit.Fires, "the release at the moved deadline")).Released);
        Assert.Empty(kit.Driver.Active);
    }

    [Fact]
    public async Task Disarm_CancelsTheDeadline()
    {
        await using var kit = new GuardKit();
        kit.Driver.Active.Add("fip1");
        var fenceAt = kit.Now + TimeSpan.FromSeconds(4);
        kit.Guard.Arm(7, fenceAt, F, T, [Group("g1", Resource("fip1"))]);

        Assert.Equal("Disarmed", kit.Guard.Disarm("the agent fenced itself").State);
        kit.AdvanceTo(GuardTiming.ReleaseBy(fenceAt, F) + TimeSpan.FromMinutes(1));

        Assert.Equal("Disarmed", kit.Guard.Status().State);
        Assert.Null(kit.Guard.Status().LastFire);
        Assert.Contains("fip1", kit.Driver.Active);
        Assert.False(kit.Fires.Reader.TryRead(out _));
    }

    [Fact]
    public async Task BudgetSpent_WithAResourceStillHeld_PowersOffAtReleaseBy_NotATickBefore()
    {
        await using var kit = new GuardKit();
        kit.Driver.Active.UnionWith(["app1", "fip1", "app2"]);
        kit.Driver.Hung.Add("app1");
        var fenceAt = kit.Now + TimeSpan.FromSeconds(4);
        kit.Guard.Arm(7, fenceAt, F, T, [Group("g1", Resource("app1"), Resource("fip1")), Group("g2", Resource("app2"))]);
        kit.AdvanceTo(GuardTiming.ActAt(fenceAt, F));
        Assert.Equal("Releasing", kit.Guard.Status().State);

        // g2 releases at once and g1 hangs in app1's stop: let both get there before the clock moves on.
        await UntilAsync(() => kit.Logged.Any(l => l.StartsWith("Released g2/app2", StringComparison.Ordinal)) && kit.Driver.Started("app1"),
            "app2 counted released and app1's stop under way");
        kit.AdvanceTo(GuardTiming.ReleaseBy(fenceAt, F) - Tick);
        Assert.False(kit.PowerOffs.Reader.TryRead(out _));

        kit.AdvanceTo(GuardTiming.ReleaseBy(fenceAt, F));
        var reason = await NextAsync(kit.PowerOffs, "the power off when the budget ends");
        Assert.Contains("app1", reason, StringComparison.Ordinal);
        var fire = await NextAsync(kit.Fires, "the release record");
        Assert.True(fire.PoweredOff);
        Assert.Equal(["app1", "fip1"], fire.Held.Order(StringComparer.Ordinal));
        Assert.Equal(["app2"], fire.Released);
        Assert.Equal(T.TotalMilliseconds, fire.LeaseAgeMs);
    }

    [Fact]
    public async Task DeactivationFailing_WithTheResourceStillThere_PowersOffWithoutWaitingForTheBudget()
    {
        await using var kit = new GuardKit();
        kit.Driver.Active.Add("sd1");
        kit.Driver.Failing.Add("sd1");
        var fenceAt = kit.Now + TimeSpan.FromSeconds(4);
        kit.Guard.Arm(7, fenceAt, F, T, [Group("g1", Resource("sd1"))]);

        kit.AdvanceTo(GuardTiming.ActAt(fenceAt, F));

        Assert.Contains("sd1", await NextAsync(kit.PowerOffs, "the power off after the failed release"), StringComparison.Ordinal);
        Assert.Equal(["sd1"], (await NextAsync(kit.Fires, "the release record")).Held);
    }

    [Fact]
    public async Task DeactivationFailing_ButTheResourceGone_CountsAsReleased()
    {
        await using var kit = new GuardKit();
        kit.Driver.Failing.Add("fip1");
        var fenceAt = kit.Now + TimeSpan.FromSeconds(4);
        kit.Guard.Arm(7, fenceAt, F, T, [Group("g1", Resource("fip1"))]);

        kit.AdvanceTo(GuardTiming.ActAt(fenceAt, F));

        Assert.Equal(["fip1"], (await NextAsync(kit.Fires, "the release")).Released);
        Assert.False(kit.PowerOffs.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Arm_WithADeadlineAlreadyPast_ReleasesAtOnce()
    {
        await using var kit = new GuardKit();
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        kit.Driver.Active.Add("fip1");

        kit.Guard.Arm(7, kit.Now - TimeSpan.FromSeconds(10), F, T, [Group("g1", Resource("fip1"))]);

        // Past D + F as well: no budget is left, so what the release did not confirm at once is held.
        var fire = await NextAsync(kit.Fires, "the immediate release");
        Assert.Equal(7, fire.Incarnation);
        Assert.True(fire.LeaseAgeMs > T.TotalMilliseconds);
    }

    [Fact]
    public async Task ArmOfAnIncarnationThatAlreadyFired_IsNotArmed_AndItsReplyReportsTheFire()
    {
        // A frozen agent's arm, queued before the freeze, arrives after the guard released its resources: the old
        // deadline is long past, so arming it would fire at once with no budget and power the server off.
        await using var kit = new GuardKit();
        kit.Driver.Active.Add("fip1");
        var fenceAt = kit.Now + TimeSpan.FromSeconds(4);
        kit.Guard.Arm(7, fenceAt, F, T, [Group("g1", Resource("fip1"))]);
        kit.AdvanceTo(GuardTiming.ActAt(fenceAt, F));
        Assert.Equal(["fip1"], (await NextAsync(kit.Fires, "the release")).Released);
        kit.Time.Advance(TimeSpan.FromSeconds(10));

        var reply = kit.Guard.Arm(7, fenceAt, F, T, [Group("g1", Resource("fip1"))]);
        Assert.True(reply.Ok);
        Assert.Equal("Disarmed", reply.State);
        Assert.Equal(7, reply.LastFire?.Incarnation);
        Assert.Equal("Disarmed", kit.Guard.Arm(6, kit.Now + T, F, T, null).State);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(kit.Fires.Reader.TryRead(out _));
        Assert.False(kit.PowerOffs.Reader.TryRead(out _));

        // The agent's next incarnation is armed as usual.
        kit.Driver.Active.Add("fip1");
        var next = kit.Now + TimeSpan.FromSeconds(4);
        Assert.Equal("Armed", kit.Guard.Arm(8, next, F, T, null).State);
        kit.AdvanceTo(GuardTiming.ActAt(next, F));
        Assert.Equal(8, (await NextAsync(kit.Fires, "the next incarnation's release")).Incarnation);
    }

    [Fact]
    public async Task FirstArm_WithoutAList_IsRefused()
    {
        await using var kit = new GuardKit();

        Assert.Throws<InvalidOperationException>(() => kit.Guard.Arm(7, kit.Now + T, F, T, null));
        Assert.Equal("Disarmed", kit.Guard.Status().State);
    }

    [Theory]
    [InlineData(1200, 120)]
    [InlineData(6000, 600)]
    [InlineData(0, 0)]
    public void Grace_IsATenthOfTheBudget(int budgetMs, int graceMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(graceMs), GuardTiming.Grace(TimeSpan.FromMilliseconds(budgetMs)));
        var fenceAt = Clp.Policy.Time.Instant.At(TimeSpan.FromSeconds(10));
        Assert.Equal(fenceAt + TimeSpan.FromMilliseconds(budgetMs), GuardTiming.ReleaseBy(fenceAt, TimeSpan.FromMilliseconds(budgetMs)));
    }

    [Fact]
    public void Grace_RoundsUpToTheTick() => Assert.Equal(TimeSpan.FromTicks(1), GuardTiming.Grace(TimeSpan.FromTicks(3)));
}
