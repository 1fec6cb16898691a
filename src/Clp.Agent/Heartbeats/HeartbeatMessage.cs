using Clp.Core.Model;

namespace Clp.Agent.Heartbeats;

/// <summary>One LAN heartbeat datagram (docs/partition-safety.md, sections 2-4). Sent every interval to
/// every peer on every LAN interconnect; authenticated with the cluster's heartbeat secret.</summary>
public sealed class HeartbeatMessage
{
    public string Cluster { get; set; } = "";

    public string Sender { get; set; } = "";

    /// <summary>The interconnect it was sent on (MAC-covered, so a datagram replayed onto another
    /// interconnect does not count there).</summary>
    public string Interconnect { get; set; } = "";

    public long Incarnation { get; set; }

    /// <summary>Strictly increasing per incarnation (one per heartbeat tick, the same on every interconnect).</summary>
    public long Sequence { get; set; }

    /// <summary>Whether the sender's own lease is fresh (renewed, directly or relayed, within T − F).</summary>
    public bool LeaseFresh { get; set; }

    /// <summary>Whether a deferring side may count the sender: the API no longer counts its vote (it has not
    /// received a vote token for two intervals; docs/partition-safety.md, section 6).</summary>
    public bool Countable { get; set; }

    /// <summary>For each peer, the newest sequence the sender accepted from it: the peer knows when it sent
    /// that one, so it can bound this message's age on its own clock.</summary>
    public Dictionary<string, long> Echo { get; set; } = [];

    /// <summary>The peers the sender hears on some interconnect.</summary>
    public List<string> Hears { get; set; } = [];

    /// <summary>The sender's own renewal token first, then the newest tokens it heard from others.</summary>
    public List<RelayedRenewal> Tokens { get; set; } = [];

    /// <summary>Relayed renewals the API accepted, newest per server, as the sender learned them.</summary>
    public List<RelayAck> Acks { get; set; } = [];

    /// <summary>The sender's NP observations (restriction checks, disk and line readings).</summary>
    public PartitionObservation? Partition { get; set; }
}

/// <summary>The API took the relayed token (server, incarnation, sequence) as that server's renewal.</summary>
public sealed record RelayAck(string Server, long Incarnation, long Sequence);
