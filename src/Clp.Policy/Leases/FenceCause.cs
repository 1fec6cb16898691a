namespace Clp.Policy.Leases;

/// <summary>Why an agent fenced: the input that decides whether the cluster's isolation action follows.</summary>
public enum FenceCause
{
    /// <summary>The fence timer fired (lease age T − F) and no deferral held: no renewal succeeded, directly or
    /// relayed, and NP resolution did not let this server's side keep running (or the deferral check failed).</summary>
    LeaseRanOut,

    /// <summary>A renewal was answered 409: the API is reachable and revoked or replaced this incarnation.</summary>
    Revoked,

    /// <summary>The fence guard released this incarnation while the agent could not (it was frozen).</summary>
    GuardReleased,

    /// <summary>The agent stops (SIGTERM, the stop-cluster-service final action).</summary>
    Leaving,
}
