using Clp.Policy.Leases;
using Clp.Policy.Time;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Policy.Tests.Leases;

/// <summary>DESIGN rule 5: down after T + M without a received renewal, counted from the controller's
/// own start, with the larger of the two Ts.</summary>
public class DownJudgeTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static TimeSpan S(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void IsDown_AtTPlusM_No_OneTickPast_Yes()
    {
        var time = new FakeTimeProvider();
        var judge = new DownJudge(S(30), Now(time));
        time.Advance(S(5));
        var received = Now(time);

        time.Advance(S(33));
        Assert.False(judge.IsDown(Now(time), received, S(30)));

        time.Advance(Tick);
        Assert.True(judge.IsDown(Now(time), received, S(30)));
        Assert.Equal(Now(time), judge.DownAt(received, S(30)));
    }

    [Fact]
    public void IsDown_SmallT_UsesThe200MsMarginFloor()
    {
        var judge = new DownJudge(S(1), Instant.Origin);

        Assert.False(judge.IsDown(Instant.At(TimeSpan.FromMilliseconds(1200)), Instant.Origin, null));
        Assert.True(judge.IsDown(Instant.At(TimeSpan.FromMilliseconds(1200)) + Tick, Instant.Origin, null));
    }

    public static TheoryData<string, double, double?, double> LargerOfT() => new()
    {
        { "server stated a longer T", 3, 6, 6.6 },
        { "cluster T is longer", 6, 3, 6.6 },
        { "no stated T", 3, null, 3.3 },
    };

    [Theory]
    [MemberData(nameof(LargerOfT))]
    public void Limit_UsesTheLargerOfClusterAndStatedT(string row, double clusterT, double? statedT, double limit)
    {
        var judge = new DownJudge(S(clusterT), Instant.Origin);
        TimeSpan? stated = statedT is { } t ? S(t) : null;

        Assert.True(judge.Limit(stated) == S(limit), $"{row}: {judge.Limit(stated)}");
        Assert.False(judge.IsDown(Instant.At(S(limit)), Instant.Origin, stated), row);
        Assert.True(judge.IsDown(Instant.At(S(limit)) + Tick, Instant.Origin, stated), row);
    }

    public static TheoryData<string, double, double?, double> Acknowledgements() => new()
    {
        { "a shorter cluster T waits for the agent still stating the longer one", 3, 6, 6.6 },
        { "every agent stated the shorter T: it applies", 3, 3, 3.3 },
        { "a longer cluster T applies before any agent stated it", 6, 3, 6.6 },
        { "no agent known: the cluster's T", 3, null, 3.3 },
    };

    [Theory]
    [MemberData(nameof(Acknowledgements))]
    public void Acknowledged_RaisesTheClusterTToTheLongestStated(string row, double clusterT, double? longestStated, double limit)
    {
        var judge = new DownJudge(S(clusterT), Instant.Origin).Acknowledged(longestStated is { } t ? S(t) : null);

        // A server that itself stated the short 3 s is judged by the acknowledged T.
        Assert.True(S(limit) == judge.Limit(S(3)), row);
    }

    [Fact]
    public void Grace_RenewalBeforeControllerStart_NotDownUntilStartPlusTPlusM()
    {
        var time = new FakeTimeProvider();
        var received = Now(time);                      // seen by a previous leader, long ago
        time.Advance(S(100));
        var judge = new DownJudge(S(30), Now(time));   // this controller became leader now

        time.Advance(S(33));
        Assert.False(judge.IsDown(Now(time), received, S(30)));
        time.Advance(Tick);
        Assert.True(judge.IsDown(Now(time), received, S(30)));
    }

    [Fact]
    public void Grace_NoRenewalSeenSinceStart_CountsFromStart()
    {
        var start = Instant.At(S(50));
        var judge = new DownJudge(S(30), start);

        Assert.Equal(start + S(33) + Tick, judge.DownAt(null, null));
        Assert.False(judge.IsDown(start + S(33), null, null));
    }

    [Fact]
    public void Restart_OfCounting_GivesEveryLeaseAFreshTPlusM()
    {
        var judge = new DownJudge(S(30), Instant.Origin);
        var received = Instant.At(S(1));
        var resumedAt = Instant.At(S(40));

        Assert.True(judge.IsDown(resumedAt, received, S(30)));
        Assert.False((judge with { CountingStartedAt = resumedAt }).IsDown(resumedAt + S(33), received, S(30)));
    }

    private static Instant Now(FakeTimeProvider time) => Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency);
}
