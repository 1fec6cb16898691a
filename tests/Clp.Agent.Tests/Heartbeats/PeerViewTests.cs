using Clp.Core.Model;
using Clp.Agent.Heartbeats;
using Clp.Policy.Time;

namespace Clp.Agent.Tests.Heartbeats;

public class PeerViewTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(3);
    private static readonly Instant Zero = Instant.FromTimestamp(0, TimeSpan.TicksPerSecond);

    private static HeartbeatMessage From(string sender, long sequence, string interconnect = "lan1", long incarnation = 1, params string[] hears) => new()
    {
        Cluster = "c1", Sender = sender, Interconnect = interconnect, Incarnation = incarnation, Sequence = sequence, Hears = [.. hears],
    };

    [Fact]
    public void NotNewer_IsReplayed_AndCounted_PerInterconnect()
    {
        var view = new PeerView("s1");
        Assert.True(view.Accept("lan1", From("s2", 5), Zero));
        Assert.False(view.Accept("lan1", From("s2", 5), Zero));
        Assert.False(view.Accept("lan1", From("s2", 4), Zero));
        Assert.False(view.Accept("lan1", From("s2", 9, incarnation: 0), Zero));
        // The same tick on the next interconnect is its own datagram there.
        Assert.True(view.Accept("lan2", From("s2", 5, "lan2"), Zero));
        // A new incarnation starts its sequence again.
        Assert.True(view.Accept("lan1", From("s2", 1, incarnation: 2), Zero));
        // Sent for another interconnect (replayed onto this one), or from this server itself.
        Assert.False(view.Accept("lan1", From("s2", 50, "lan2"), Zero));
        Assert.False(view.Accept("lan1", From("s1", 50), Zero));

        var status = view.Status([("lan1", ["s2"]), ("lan2", ["s2"])], Zero, T);
        Assert.Equal(5, status["lan1"].Replayed);
        Assert.Equal(0, status["lan2"].Replayed);
    }

    [Fact]
    public void Heard_LastsT_NotATickMore()
    {
        var view = new PeerView("s1");
        view.Accept("lan1", From("s2", 1), Zero);
        Assert.Contains("s2", view.Heard(Zero + T, T));
        Assert.DoesNotContain("s2", view.Heard(Zero + T + TimeSpan.FromTicks(1), T));
    }

    [Fact]
    public void Side_NeedsMutualHearing()
    {
        var view = new PeerView("s1");
        view.Accept("lan1", From("s2", 1, hears: "s1"), Zero);
        view.Accept("lan1", From("s3", 1, hears: "s2"), Zero);
        Assert.Equal(["s2", "s3"], view.Heard(Zero, T).Order());
        Assert.Equal(["s2"], view.Side(Zero, T).Order());

        // s2's newer heartbeat no longer lists s1: it drops out of the side at once.
        view.Accept("lan2", From("s2", 2, "lan2"), Zero);
        Assert.Empty(view.Side(Zero, T));
    }

    [Fact]
    public void Status_PerInterconnect_NormalCautionError_AndChangesAfterTheFirstHearing()
    {
        var view = new PeerView("s1");
        (string, IReadOnlyList<string>)[] topology = [("lan1", ["s2", "s3"]), ("lan2", ["s2", "s3"])];
        Assert.Empty(view.Changes(topology, Zero, T));
        view.Accept("lan1", From("s2", 1), Zero);
        view.Accept("lan1", From("s3", 1), Zero);
        view.Accept("lan2", From("s2", 1, "lan2"), Zero);
        var status = view.Status(topology, Zero, T);
        Assert.Equal((HeartbeatState.Normal, HeartbeatState.Caution), (status["lan1"].State, status["lan2"].State));
        Assert.Equal(HeartbeatState.Error, status["lan2"].Peers["s3"]);
        Assert.Empty(view.Changes(topology, Zero, T)); // first hearings are not changes

        // lan1 goes quiet for s3 only; later everything is lost on lan2 too.
        var later = Zero + T + TimeSpan.FromSeconds(1);
        view.Accept("lan1", From("s2", 2), later);
        view.Accept("lan2", From("s2", 2, "lan2"), later - T - TimeSpan.FromTicks(1));
        Assert.Equal([("s2", "lan2", false), ("s3", "lan1", false)], view.Changes(topology, later, T).OrderBy(c => c.Peer).ToList());
        status = view.Status(topology, later, T);
        Assert.Equal((HeartbeatState.Caution, HeartbeatState.Error), (status["lan1"].State, status["lan2"].State));

        view.Accept("lan1", From("s3", 3), later);
        Assert.Equal([("s3", "lan1", true)], view.Changes(topology, later, T));
    }
}
