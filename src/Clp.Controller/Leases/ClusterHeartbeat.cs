namespace Clp.Controller.Leases;

/// <summary>A cluster's heartbeat as lease answers state it.</summary>
/// <param name="IntervalMs">I.</param>
/// <param name="TimeoutMs">T with the timeout ratio applied.</param>
/// <param name="IsolationAction">The cluster's isolation action, stated with the heartbeat: an agent learns it from
/// every answer (its view's change feed does not carry the Cluster object itself).</param>
public sealed record ClusterHeartbeat(int IntervalMs, int TimeoutMs, int TimeoutRatio, Clp.Core.Model.IsolationAction IsolationAction = Clp.Core.Model.IsolationAction.StopGroups);
