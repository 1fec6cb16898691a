using Clp.Policy.Time;

namespace Clp.Controller.Leases;

/// <summary>What the registry knows of one server's node lease at one moment.</summary>
/// <param name="LastReceived">When the controller received the holder's last accepted renewal (or
/// its acquire), on the controller's clock; null if none since this process started.</param>
/// <param name="StatedTimeout">The T the holder's last acquire or renewal stated.</param>
/// <param name="Revoked">The controller revoked this incarnation (in memory first, then in the store).</param>
/// <param name="LiveSince">Since when renewals (direct or relayed) arrived with no gap longer than T; null
/// when none arrived since this process started.</param>
/// <param name="VoteUntil">Until when the holder's vote counts for a quorum (docs/partition-safety.md, section 6).</param>
public readonly record struct LeaseView(long Incarnation, bool Revoked, Instant? LastReceived, TimeSpan StatedTimeout, int? TimeoutRatioAck, Instant? LiveSince = null, Instant? VoteUntil = null);
