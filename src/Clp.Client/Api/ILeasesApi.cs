using System.Text.Json.Nodes;
using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>Node leases, one per server, held by that server's agent. Operations of the OpenAPI tag <c>Leases</c>.</summary>
public interface ILeasesApi
{
    /// <summary>One page in name order; every item when <paramref name="limit"/> is null.</summary>
    [Get("/apis/clp/v1/clusters/{cluster}/leases")]
    Task<ObjectList<Lease>> ListLeasesAsync(
        string cluster,
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{cluster}/leases/{name}")]
    Task<Lease> GetLeaseAsync(string cluster, string name, CancellationToken cancellationToken = default);

    /// <summary>Joins as <paramref name="server"/> with a new, higher incarnation (DESIGN rule 1); a lower or
    /// equal one is a <see cref="Problems.ClpConflictException"/> (409).</summary>
    [Post("/apis/clp/v1/clusters/{cluster}/leases/{server}/acquire")]
    Task<LeaseGrant> AcquireLeaseAsync(string cluster, string server, [Body] LeaseAcquireRequest request, CancellationToken cancellationToken = default);

    /// <summary>Renews (rule 2); a revoked or replaced incarnation is a <see cref="Problems.ClpConflictException"/>
    /// (409): fence, then join again.</summary>
    [Post("/apis/clp/v1/clusters/{cluster}/leases/{server}/renew")]
    Task<LeaseRenewal> RenewLeaseAsync(string cluster, string server, [Body] LeaseRenewRequest request, CancellationToken cancellationToken = default);
}
