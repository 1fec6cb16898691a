using Clp.Controller.Leadership;
using Clp.Controller.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Controller.Tests.Leadership;

/// <summary>Two controller instances over one store: exactly one acts, a write with a stale term is
/// refused in its own transaction, and a standby takes over only after the lease stopped changing for
/// a whole lease duration on its own clock (or at once when released).</summary>
[Trait("Category", "Component")]
public sealed class LeaderElectorTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task TwoInstances_OneLeads_StandbyTakesOverOnlyAfterALeaseDurationWithoutRenewal()
    {
        await using var temp = await TempStore.OpenAsync();
        var clock = new FakeTimeProvider();
        var a = Elector(temp, clock, "a");
        var b = Elector(temp, clock, "b");

        Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.Equal(1, a.Term);
        Assert.True(await WritesAsync(temp, a));
        Assert.False(await WritesAsync(temp, b), "a standby's write must be refused");

        // A renews every 5 s: B never takes over, however long it watches.
        for (var i = 0; i < 6; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None));
            Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        }

        // A stops renewing (hung). B saw the lease last change now: it waits a full duration.
        var lastSeen = clock.GetUtcNow();
        clock.Advance(Duration - TimeSpan.FromTicks(1));
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        clock.SetUtcNow(lastSeen + Duration);
        Assert.True(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.Equal(2, b.Term);

        // The deposed leader's writes are refused by the term check, and it learns it on its next round.
        Assert.False(await WritesAsync(temp, a));
        Assert.False(await a.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.False(a.IsLeader);
        Assert.True(await WritesAsync(temp, b));
    }

    [Fact]
    public async Task ReleasedLease_IsTakenAtOnce_WithAHigherTerm()
    {
        await using var temp = await TempStore.OpenAsync();
        var clock = new FakeTimeProvider();
        var a = Elector(temp, clock, "a");
        var b = Elector(temp, clock, "b");
        Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));

        await a.ReleaseAsync(CancellationToken.None);
        Assert.False(await WritesAsync(temp, a));
        Assert.True(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.Equal(2, b.Term);
    }

    private static LeaderElector Elector(TempStore temp, TimeProvider clock, string identity) =>
        new(temp.Store, clock, new ControllerOptions { Identity = identity, LeaderLeaseDuration = Duration, LeaderRenewInterval = TimeSpan.FromSeconds(5) },
            NullLogger<LeaderElector>.Instance);

    /// <summary>Whether a controller write (term check + a write) commits.</summary>
    private static async Task<bool> WritesAsync(TempStore temp, LeaderElector elector)
    {
        try
        {
            await temp.Store.WriteAsync(async (tx, _) =>
            {
                await elector.CheckTermAsync(tx);
                await tx.CreateAsync(new Core.Store.ObjectKey("Probe", "", Api.Fresh("p")), """{"metadata":{}}""");
                return true;
            });
            return true;
        }
        catch (LeadershipLostException)
        {
            return false;
        }
    }
}
