using Clp.Core.Model;

namespace Clp.Controller.Leases;

/// <summary>The outcome of a renewal: the answer for the agent, or why it is refused.</summary>
/// <param name="ClusterMissing">The cluster does not exist (404).</param>
public sealed record RenewResult(RenewOutcome Outcome, LeaseRenewal? Renewal, bool ClusterMissing = false);
