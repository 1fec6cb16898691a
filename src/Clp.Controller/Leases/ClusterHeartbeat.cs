namespace Clp.Controller.Leases;

/// <summary>A cluster's heartbeat as lease answers state it.</summary>
/// <param name="IntervalMs">I.</param>
/// <param name="TimeoutMs">T with the timeout ratio applied.</param>
public sealed record ClusterHeartbeat(int IntervalMs, int TimeoutMs, int TimeoutRatio);
