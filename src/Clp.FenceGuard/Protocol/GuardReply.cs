namespace Clp.FenceGuard.Protocol;

/// <summary>The guard's answer to one <see cref="GuardRequest"/>.</summary>
public sealed record GuardReply
{
    public bool Ok { get; init; }

    /// <summary>Why the request was refused (Ok false).</summary>
    public string? Error { get; init; }

    /// <summary><c>Disarmed</c>, <c>Armed</c> or <c>Releasing</c>.</summary>
    public required string State { get; init; }

    public int GuardPid { get; init; }

    /// <summary>The incarnation whose deadline is armed, if any.</summary>
    public long? ArmedIncarnation { get; init; }

    /// <summary>When the guard will act (armed only), monotonic ticks.</summary>
    public long? ActAtTicks { get; init; }

    /// <summary>The last release the guard carried out, if any.</summary>
    public GuardFire? LastFire { get; init; }
}

/// <summary>One release by the guard: for whom, at which lease age it completed, what it released, what it
/// could not (then it powered the server off).</summary>
public sealed record GuardFire
{
    public long Incarnation { get; init; }

    /// <summary>The lease age when the release completed (or the power off was asked for), in ms.</summary>
    public double LeaseAgeMs { get; init; }

    /// <summary>T of that lease, in ms.</summary>
    public double TimeoutMs { get; init; }

    public IReadOnlyList<string> Released { get; init; } = [];

    public IReadOnlyList<string> Held { get; init; } = [];

    public bool PoweredOff { get; init; }
}
