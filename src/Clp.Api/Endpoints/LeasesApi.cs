using Clp.Api.Auth;
using Clp.Api.Objects;
using Clp.Controller.Leases;
using Clp.Core.Model;
using Clp.Core.Problems;
using Clp.Core.Security;
using Clp.Core.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clp.Api.Endpoints;

/// <summary>The node-lease protocol (DESIGN rules 1, 2, 5): an agent joins by acquiring its server's
/// lease with a new incarnation and renews it every heartbeat interval. Leases are otherwise read-only
/// through the API: only this protocol and the controller write them.</summary>
internal static class LeasesApi
{
    public static IEndpointRouteBuilder MapLeasesApi(this IEndpointRouteBuilder app)
    {
        app.MapObjectRoutes<Lease>(Kinds.Lease, "Lease", "Leases",
            "Node leases, one per server, held by that server's agent; written only by acquire, renew (in memory) and the controller's revocation.",
            ObjectVerbs.List);
        var group = app.MapGroup($"{ClpApi.BasePath}/clusters/{{cluster}}/leases").WithTags("Leases");
        group.MapPost("{server}/acquire", AcquireAsync)
            .WithName("acquireLease")
            .WithSummary("Join as a server: take its node lease with a new, higher agent incarnation")
            .WithDescription("A higher incarnation takes the lease over at once (no failover) and the old one is refused from then on; a lower or equal one gets 409 stale-incarnation. The answer carries the store uid, the epoch floor and the cluster's heartbeat.")
            .Accepts<LeaseAcquireRequest>("application/json")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(415);
        group.MapPost("{server}/renew", RenewAsync)
            .WithName("renewLease")
            .WithSummary("Renew a held node lease (every heartbeat interval)")
            .WithDescription("200 while the incarnation holds the lease unrevoked; otherwise 409 lease-revoked, and the agent fences and rejoins with a new incarnation. Renewals are kept in memory, not written to the store.")
            .Accepts<LeaseRenewRequest>("application/json")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(415);
        return app;
    }

    private static async Task<Ok<LeaseGrant>> AcquireAsync(HttpContext context, string cluster, string server, NodeLeaseService leases, CancellationToken ct)
    {
        cluster = Names.Key(cluster);
        Access.Check(context, Kinds.Lease, AccessVerb.Acquire, cluster, server);
        var request = JsonBody.Bind<LeaseAcquireRequest>(await JsonBody.ReadNodeAsync(context.Request, ct));
        ThrowIfInvalid(LeaseRequestRules.Validate(request));
        var result = await leases.AcquireAsync(cluster, server, request, ct);
        if (result.Missing is { } missing)
        {
            throw ApiProblemException.NotFound(missing);
        }

        if (result.Grant is not { } grant)
        {
            throw new ApiProblemException(409, ProblemTypes.StaleIncarnation, "Stale incarnation",
                $"incarnation {request.Incarnation} is not higher than the holder's ({result.HolderIncarnation}); every agent start must use a new, higher incarnation");
        }

        RouteValues.SetETag(context, grant.Lease);
        return TypedResults.Ok(grant);
    }

    private static async Task<Ok<LeaseRenewal>> RenewAsync(HttpContext context, string cluster, string server, NodeLeaseService leases, CancellationToken ct)
    {
        cluster = Names.Key(cluster);
        Access.Check(context, Kinds.Lease, AccessVerb.Renew, cluster, server);
        var request = JsonBody.Bind<LeaseRenewRequest>(await JsonBody.ReadNodeAsync(context.Request, ct));
        ThrowIfInvalid(LeaseRequestRules.Validate(request));
        var result = await leases.RenewAsync(cluster, server, request, ct);
        if (result.ClusterMissing)
        {
            throw ApiProblemException.NotFound($"Cluster '{cluster}'");
        }

        return result.Renewal is { } renewal
            ? TypedResults.Ok(renewal)
            : throw new ApiProblemException(409, ProblemTypes.LeaseRevoked, "Lease not held",
                $"incarnation {request.Incarnation} does not hold the lease of server '{server}' ({Why(result.Outcome)}): fence, then rejoin with a new incarnation");
    }

    private static string Why(RenewOutcome outcome) => outcome switch
    {
        RenewOutcome.Revoked => "the controller revoked it: the server was judged down",
        RenewOutcome.Superseded => "a newer incarnation took it over",
        _ => "it was never acquired by this incarnation",
    };

    private static void ThrowIfInvalid(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiProblemException.Validation(errors);
        }
    }
}
