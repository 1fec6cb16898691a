using System.Text.Json.Nodes;
using Clp.Api.Auth;
using Clp.Api.Objects;
using Clp.Core.Model;
using Clp.Core.Security;
using Clp.Core.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clp.Api.Endpoints;

/// <summary>API keys of a cluster (admins only): a create answers the key once; only its hash is
/// stored; a delete revokes it at once.</summary>
internal static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapObjectRoutes<ApiKey>(Kinds.ApiKey, "ApiKey", "ApiKeys",
            "API keys of the cluster, hashed at rest; delete revokes.", ObjectVerbs.List | ObjectVerbs.Delete);
        group.MapPost("", CreateAsync)
            .WithName("createApiKey").WithSummary("Create an API key; the answer holds the key, shown this once")
            .Accepts<ApiKey>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(415);
        return app;
    }

    private static async Task<Created<ApiKeyWithSecret>> CreateAsync(HttpContext context, string cluster, ObjectService service, CancellationToken ct)
    {
        cluster = Names.Key(cluster);
        var body = await JsonBody.ReadNodeAsync(context.Request, ct);
        var name = body["metadata"] is JsonObject meta && meta["name"] is JsonValue v && v.TryGetValue<string>(out var n) ? n : "";
        Access.Check(context, Kinds.ApiKey, AccessVerb.Create, cluster, name);
        var key = ApiKeyTokens.NewClusterKey(cluster, name);
        var options = new CreateOptions(SecretHash: ApiKeyTokens.Hash(key), KeyPrefix: ApiKeyTokens.DisplayPrefix(key));
        var (value, _) = await service.CreateAsync(Kinds.ApiKey, cluster, body, options, ct);
        return TypedResults.Created($"{context.Request.Path.Value!.TrimEnd('/')}/{value.Metadata.Name}",
            new ApiKeyWithSecret { ApiKey = (ApiKey)value, Key = key });
    }
}
