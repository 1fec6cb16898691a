using Clp.Controller.Leases;
using Clp.Policy.Time;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Controller.Tests.Leases;

/// <summary>Renewals in memory on the controller's clock; revocation atomic with renewals.</summary>
public sealed class LeaseRegistryTests : IAsyncLifetime
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(3);

    private readonly FakeTimeProvider _clock = new();
    private TempStore _temp = null!;
    private LeaseRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempStore.OpenAsync();
        _registry = new LeaseRegistry(_clock, _temp.Store);
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    [Fact]
    public async Task Renew_ByTheHolder_RecordsTheReceiveInstantAndStatedT()
    {
        _registry.Acquired("C1", "S1", 3, T);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var raised = new List<string>();
        _registry.Renewed += raised.Add;
        Assert.Equal(RenewOutcome.Renewed, await _registry.RenewAsync("c1", "s1", 3, TimeSpan.FromSeconds(6), 2, CancellationToken.None));
        var view = _registry.Get("c1", "S1")!.Value;
        Assert.Equal(Now, view.LastReceived);
        Assert.Equal(TimeSpan.FromSeconds(6), view.StatedTimeout);
        Assert.Equal(2, view.TimeoutRatioAck);
        Assert.Equal(["c1"], raised);
    }

    public static TheoryData<string, long, RenewOutcome> Refusals() => new()
    {
        { "an older incarnation was taken over", 2, RenewOutcome.Superseded },
        { "a newer incarnation never acquired", 4, RenewOutcome.NotHeld },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Renew_OtherIncarnation_IsRefused(string rule, long incarnation, RenewOutcome expected)
    {
        _registry.Acquired("c1", "s1", 3, T);
        Assert.True(expected == await _registry.RenewAsync("c1", "s1", incarnation, T, null, CancellationToken.None), rule);
    }

    [Fact]
    public async Task BeginAcquire_RefusesTheOldIncarnationBeforeTheWriteCommits()
    {
        _registry.Acquired("c1", "s1", 3, T);
        await _registry.BeginAcquireAsync("c1", "s1", 4, CancellationToken.None);
        Assert.Equal(RenewOutcome.Superseded, await _registry.RenewAsync("c1", "s1", 3, T, null, CancellationToken.None));
    }

    [Fact]
    public async Task TryRevoke_FailsIfARenewalArrivedAfterTheJudgement_ElseRenewalsGetRevoked()
    {
        _registry.Acquired("c1", "s1", 3, T);
        var judged = _registry.Get("c1", "s1")!.Value.LastReceived;
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RenewOutcome.Renewed, await _registry.RenewAsync("c1", "s1", 3, T, null, CancellationToken.None));
        Assert.False(_registry.TryRevoke("c1", "s1", 3, judged), "a renewal after the judgement: not down");

        var now = _registry.Get("c1", "s1")!.Value.LastReceived;
        Assert.True(_registry.TryRevoke("c1", "s1", 3, now));
        Assert.Equal(RenewOutcome.Revoked, await _registry.RenewAsync("c1", "s1", 3, T, null, CancellationToken.None));
        Assert.False(_registry.TryRevoke("c1", "s1", 2, now), "another incarnation is not revoked");
    }

    [Fact]
    public async Task Observe_RevokedInTheStore_RevokesHere_ANewerIncarnationReplaces()
    {
        _registry.Observe("c1", "s1", 3, T, revoked: true);
        Assert.Equal(RenewOutcome.Revoked, await _registry.RenewAsync("c1", "s1", 3, T, null, CancellationToken.None));
        _registry.Observe("c1", "s1", 4, T, revoked: false);
        Assert.Equal(RenewOutcome.Renewed, await _registry.RenewAsync("c1", "s1", 4, T, null, CancellationToken.None));
        Assert.Equal(4, _registry.Get("c1", "s1")!.Value.Incarnation);
    }

    [Fact]
    public async Task Renew_UnknownLease_NotHeld_ForgetDropsIt()
    {
        Assert.Equal(RenewOutcome.NotHeld, await _registry.RenewAsync("c1", "s9", 1, T, null, CancellationToken.None));
        _registry.Acquired("c1", "s1", 1, T);
        _registry.Forget("c1", "s1");
        Assert.Equal(RenewOutcome.NotHeld, await _registry.RenewAsync("c1", "s1", 1, T, null, CancellationToken.None));
    }

    private Instant Now => Instant.FromTimestamp(_clock.GetTimestamp(), _clock.TimestampFrequency);
}
