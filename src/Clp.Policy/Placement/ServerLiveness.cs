namespace Clp.Policy.Placement;

/// <summary>What the controller knows of a server's agent.</summary>
public enum ServerLiveness
{
    /// <summary>Its lease is held and fresh.</summary>
    Up,

    /// <summary>Judged down (<see cref="Leases.DownJudge"/>). The caller must revoke the server's lease
    /// in the same store transaction that writes decisions based on it: a group on a Down server is
    /// placed elsewhere at once, without waiting for it to report Offline, because the revoked agent
    /// has fenced (it stopped acting at age T − F, released everything by age T, and T + M has
    /// passed).</summary>
    Down,

    /// <summary>The operator stopped the server (server stop) and its agent is still live: its groups
    /// move away in two phases. A Left server whose lease also expired is Down.</summary>
    Left,

    /// <summary>Keeps its groups but receives none: silent past T + M without a quorum to judge it down (it
    /// may be running them under a deferred fence), or failing an NP restriction (docs/partition-safety.md).</summary>
    Isolated,
}
