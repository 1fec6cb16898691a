namespace Clp.FenceGuard.Protocol;

/// <summary>One request from the agent to its fence guard: one JSON object on one line of the guard's Unix
/// socket, answered by one <see cref="GuardReply"/> line (see docs/architecture.md "Fence guard").</summary>
/// <remarks>Instants are CLOCK_MONOTONIC in 100 ns ticks (<c>Instant.FromTimestamp(TimeProvider.System.GetTimestamp(),
/// TimestampFrequency).Ticks</c>): that clock is the same for every process of one host, so the agent's fence
/// deadline means the same instant to the guard. Never send one to another machine.</remarks>
public sealed record GuardRequest
{
    /// <summary><see cref="GuardOps"/>.</summary>
    public required string Op { get; init; }

    /// <summary>arm: the lease incarnation the deadline belongs to.</summary>
    public long? Incarnation { get; init; }

    /// <summary>arm: the agent's fence deadline (last successful renewal send + T − F), monotonic ticks.</summary>
    public long? FenceAtTicks { get; init; }

    /// <summary>arm: the fence budget F, in ticks.</summary>
    public long? BudgetTicks { get; init; }

    /// <summary>arm: the heartbeat timeout T the lease is held under, in ticks (for the guard's record and log).</summary>
    public long? TimeoutTicks { get; init; }

    /// <summary>arm: what must be released; null = the same as the last arm on this guard.</summary>
    public IReadOnlyList<GuardGroup>? Groups { get; init; }

    /// <summary>disarm, exit: why (logged).</summary>
    public string? Reason { get; init; }

    /// <summary>The agent's PID (logged, so an operator can match a guard to its agent).</summary>
    public int? AgentPid { get; init; }
}

/// <summary>The requests a guard understands.</summary>
public static class GuardOps
{
    /// <summary>Sets (or moves) the deadline and, when given, what must be released.</summary>
    public const string Arm = "arm";

    /// <summary>Cancels the deadline (the agent fenced itself, or left cleanly). A release under way finishes.</summary>
    public const string Disarm = "disarm";

    /// <summary>Answers the state; changes nothing.</summary>
    public const string Status = "status";

    /// <summary>Disarms and ends the guard (the agent left cleanly: nothing runs that a lease protects).</summary>
    public const string Exit = "exit";
}
