using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Clp.Api.Objects;
using Clp.Core.Model;
using Clp.Core.Security;
using Clp.Core.Store;
using Clp.Core.Validation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Clp.Api.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against the hashed keys in the store:
/// cluster keys by their ApiKey object, any other string against the system keys. 401 answers are
/// problem+json with a <c>WWW-Authenticate: Bearer</c> challenge.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IResourceStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return AuthenticateResult.Fail("the Authorization header must be 'Bearer <api key>'");
        }

        var token = header[7..].Trim();
        var caller = await FindCallerAsync(token, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("the API key is unknown or revoked");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, caller.KeyName),
            new(Access.RoleClaim, caller.Role.ToString()),
        };
        if (caller.Cluster is not null)
        {
            claims.Add(new(Access.ClusterClaim, caller.Cluster));
        }

        if (caller.Server is not null)
        {
            claims.Add(new(Access.ServerClaim, caller.Server));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task<Caller?> FindCallerAsync(string token, CancellationToken ct)
    {
        if (ApiKeyTokens.TryParseClusterKey(token, out var cluster, out var name))
        {
            var stored = await store.GetAsync(new ObjectKey(Kinds.ApiKey.Kind, Names.Key(cluster), name), ct);
            if (stored is null || !ApiKeyTokens.Matches(token, stored.SecretHash))
            {
                return null;
            }

            var key = stored.ToObject<ApiKey>();
            var clusterName = (await store.GetAsync(new ObjectKey(Kinds.Cluster.Kind, "", cluster), ct))?.Key.Name ?? cluster;
            return new Caller(key.Metadata.Name, key.Spec.Role, clusterName, key.Spec.Server);
        }

        return await SystemKeys.FindAsync(store, token, ct);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure?.Message;
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(401, Core.Problems.ProblemTypes.Unauthorized, "Unauthorized",
            failure ?? "an API key is required: send 'Authorization: Bearer <key>'");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(403, Core.Problems.ProblemTypes.Forbidden, "Forbidden", "the API key may not do this");

    private async Task WriteProblemAsync(int status, string type, string title, string detail)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/problem+json";
        var problem = new ProblemDetails { Type = type, Status = status, Title = title, Detail = detail, Instance = Request.Path };
        await Response.WriteAsync(JsonSerializer.Serialize(problem, Core.Json.ClpJson.Options));
    }
}
