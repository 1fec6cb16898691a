namespace Clp.Agent.Leases;

/// <summary>One completed fence (DESIGN rule 3: the age at which each fence completed is recorded).</summary>
/// <param name="Reason">Why the agent fenced (fence timer, revoked lease, leaving).</param>
/// <param name="Incarnation">The incarnation whose lease the fence ended.</param>
/// <param name="CompletedAt">Wall-clock time of completion on the agent (for people; never compared).</param>
/// <param name="LeaseAgeAtCompletion">The lease age when every resource was released, on the agent's
/// monotonic clock; null when no renewal had succeeded.</param>
/// <param name="Timeout">The heartbeat timeout T the lease was held under: the age must not pass it.</param>
/// <param name="Budget">The fence budget F it ran with.</param>
/// <param name="IsolationAction">The isolation action that followed, for an isolation fence (the lease ran out
/// without a deferral); null for any other fence (revoked while the API answered, guard release, leaving).</param>
public sealed record FenceRecord(
    string Reason,
    long Incarnation,
    DateTimeOffset CompletedAt,
    TimeSpan? LeaseAgeAtCompletion,
    TimeSpan Timeout,
    TimeSpan Budget,
    Clp.Core.Model.IsolationAction? IsolationAction = null);
