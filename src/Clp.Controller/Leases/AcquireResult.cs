using Clp.Core.Model;

namespace Clp.Controller.Leases;

/// <summary>The outcome of an acquire: a grant, or why not.</summary>
/// <param name="Missing">What does not exist (the cluster or the server), for a 404.</param>
/// <param name="HolderIncarnation">For a stale incarnation: the holder's (409).</param>
public sealed record AcquireResult(LeaseGrant? Grant, string? Missing = null, long? HolderIncarnation = null);
