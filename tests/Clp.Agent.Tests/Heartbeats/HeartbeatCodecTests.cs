using System.Security.Cryptography;
using Clp.Agent.Heartbeats;

namespace Clp.Agent.Tests.Heartbeats;

public class HeartbeatCodecTests
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    private static HeartbeatMessage Message() => new()
    {
        Cluster = "c1", Sender = "s1", Interconnect = "lan1", Incarnation = 7, Sequence = 42, LeaseFresh = true, Hears = ["s2"],
    };

    [Fact]
    public void RoundTrip_KeepsEveryField()
    {
        var datagram = HeartbeatCodec.Encode(Message(), Secret);
        Assert.Equal(DecodeOutcome.Ok, HeartbeatCodec.TryDecode(datagram, Secret, "C1", out var decoded));
        Assert.Equal(("s1", "lan1", 7L, 42L, true, "s2"), (decoded!.Sender, decoded.Interconnect, decoded.Incarnation, decoded.Sequence, decoded.LeaseFresh, decoded.Hears.Single()));
    }

    [Fact]
    public void AnyChangedByte_OrAnotherSecret_IsForged()
    {
        var datagram = HeartbeatCodec.Encode(Message(), Secret);
        for (var i = 0; i < datagram.Length; i += 7)
        {
            var tampered = (byte[])datagram.Clone();
            tampered[i] ^= 0x01;
            Assert.Equal(DecodeOutcome.Forged, HeartbeatCodec.TryDecode(tampered, Secret, "c1", out _));
        }

        Assert.Equal(DecodeOutcome.Forged, HeartbeatCodec.TryDecode(datagram, RandomNumberGenerator.GetBytes(32), "c1", out _));
        Assert.Equal(DecodeOutcome.Forged, HeartbeatCodec.TryDecode(datagram.AsSpan(0, 20), Secret, "c1", out _));
    }

    [Fact]
    public void AuthenticButForAnotherCluster_IsMalformed()
    {
        var datagram = HeartbeatCodec.Encode(Message(), Secret);
        Assert.Equal(DecodeOutcome.Malformed, HeartbeatCodec.TryDecode(datagram, Secret, "c2", out _));
    }
}
