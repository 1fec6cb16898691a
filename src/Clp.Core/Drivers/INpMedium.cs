namespace Clp.Core.Drivers;

/// <summary>A network-partition medium on this server: the heartbeat area of a Disk resolver on a shared
/// disk, or the serial line of a Com resolver (docs/partition-safety.md, section 5). The agent calls
/// <see cref="Exchange"/> every heartbeat interval, one call at a time, off its loops (it blocks on I/O);
/// <see cref="Read"/> may be called at any time from any thread.</summary>
/// <remarks>Every duration is measured on the medium's own monotonic clock (the <see cref="TimeProvider"/>
/// it was opened with); nothing compares clocks across servers.</remarks>
public interface INpMedium : IDisposable
{
    /// <summary>One round: write this server's heartbeat on the medium and read the other servers'. An I/O
    /// failure is recorded (this server's own check then fails), not thrown.</summary>
    void Exchange(NpExchange exchange);

    /// <summary>What the medium shows now.</summary>
    /// <param name="ownDeadline">This server's own check fails when no exchange completed within it.</param>
    /// <param name="peerWindow">How recently another server must have been seen on the medium.</param>
    NpMediumReading Read(TimeSpan ownDeadline, TimeSpan peerWindow);
}

/// <summary>Opens the medium of one resolver on this server (null when <paramref name="context"/> names
/// none, e.g. a Com resolver without a device for this server).</summary>
public delegate INpMedium? NpMediumFactory(NpMediumContext context);

/// <summary>What a medium is opened with.</summary>
/// <param name="Location">The heartbeat area's path (Disk) or this server's serial device (Com).</param>
/// <param name="ExchangeBudget">How long one exchange may take; a longer one counts as failed.</param>
public sealed record NpMediumContext(string Cluster, string Server, string Resolver, string Location, TimeSpan ExchangeBudget, TimeProvider Time);

/// <summary>The inputs of one exchange.</summary>
/// <param name="Servers">The servers the resolver applies to (a Disk area keeps slots of others free).</param>
/// <param name="Secret">The cluster's heartbeat secret (a Com line authenticates its frames with a key
/// derived from it); null before the agent joined: nothing is sent or accepted then.</param>
public sealed record NpExchange(IReadOnlyCollection<string> Servers, byte[]? Secret);

/// <summary>A medium's reading.</summary>
/// <param name="OwnCheck">This server's own check: its last exchange completed within the deadline and
/// the budget, without an I/O error (Disk: the write, flush and read of the area; Com: the device).</param>
/// <param name="Alive">Disk: the servers alive on the area (this one included while its own check passes).
/// Com: the other server, while both ends hear each other on the line.</param>
public sealed record NpMediumReading(bool OwnCheck, IReadOnlyList<string> Alive);
