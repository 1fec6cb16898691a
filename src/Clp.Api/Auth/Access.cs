using System.Security.Claims;
using Clp.Api.Objects;
using Clp.Core.Model;
using Clp.Core.Security;

namespace Clp.Api.Auth;

/// <summary>Applies <see cref="AccessPolicy"/> to the authenticated caller of a request; 403 when denied.</summary>
public static class Access
{
    public const string RoleClaim = "clp:role";
    public const string ClusterClaim = "clp:cluster";
    public const string ServerClaim = "clp:server";

    public static Caller CallerOf(ClaimsPrincipal user)
    {
        var role = Enum.TryParse<ApiKeyRole>(user.FindFirstValue(RoleClaim), out var r) ? r : ApiKeyRole.Viewer;
        return new Caller(user.Identity?.Name ?? "", role, user.FindFirstValue(ClusterClaim), user.FindFirstValue(ServerClaim));
    }

    public static void Check(HttpContext context, KindInfo kind, AccessVerb verb, string cluster, string? name)
    {
        var caller = CallerOf(context.User);
        var denied = AccessPolicy.Deny(caller, kind, verb, cluster, name);
        if (denied is not null)
        {
            throw new ApiProblemException(403, Core.Problems.ProblemTypes.Forbidden, "Forbidden",
                $"{verb} of {kind.Kind}{(name is null ? "" : $" '{name}'")} is not allowed: {denied}");
        }
    }
}
