using System.Text.Json.Nodes;
using Clp.Api.Auth;
using Clp.Api.Objects;
using Clp.Core.Model;
using Clp.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Clp.Api.Endpoints;

/// <summary>The routes every kind shares: list, get, create, replace, merge patch, delete and status.
/// Each kind's module calls <see cref="MapObjectRoutes{T}"/> with the verbs it supports.</summary>
internal static class ObjectEndpoints
{
    public static RouteGroupBuilder MapObjectRoutes<T>(this IEndpointRouteBuilder app, KindInfo kind, string singular, string plural, string description, ObjectVerbs verbs = ObjectVerbs.All)
        where T : ClpObject
    {
        var path = kind.TopLevel ? $"{ClpApi.BasePath}/clusters" : $"{ClpApi.BasePath}/clusters/{{cluster}}/{kind.Plural}";
        var group = app.MapGroup(path).WithTags(plural);
        if (verbs.HasFlag(ObjectVerbs.List))
        {
            group.MapGet("", (HttpContext context, [AsParameters] ListParameters parameters, ObjectReader reader, CancellationToken ct) =>
                    ListAsync<T>(context, kind, parameters, null, reader, ct))
                .WithName($"list{plural}").WithSummary($"List {kind.Plural}").WithDescription(description)
                .ProducesProblem(400).ProducesProblem(404);
        }

        group.MapGet("{name}", GetAsync<T>(kind))
            .WithName($"get{singular}").WithSummary($"Read a {kind.Kind}").ProducesProblem(404);
        if (verbs.HasFlag(ObjectVerbs.Create))
        {
            group.MapPost("", CreateAsync<T>(kind))
                .WithName($"create{singular}").WithSummary($"Create a {kind.Kind}")
                .Accepts<T>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(415);
        }

        if (verbs.HasFlag(ObjectVerbs.Update))
        {
            group.MapPut("{name}", ReplaceAsync<T>(kind))
                .WithName($"replace{singular}").WithSummary($"Replace a {kind.Kind}'s labels and spec (If-Match: 412 when stale)")
                .Accepts<T>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(415);
            group.MapPatch("{name}", PatchAsync<T>(kind))
                .WithName($"patch{singular}").WithSummary($"Merge-patch a {kind.Kind}'s labels and spec (RFC 7386)")
                .Accepts<JsonObject>("application/merge-patch+json", "application/json")
                .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(415);
        }

        if (verbs.HasFlag(ObjectVerbs.Delete))
        {
            group.MapDelete("{name}", DeleteAsync<T>(kind))
                .WithName($"delete{singular}").WithSummary($"Delete a {kind.Kind} (409 while other objects name it)")
                .ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        }

        if (verbs.HasFlag(ObjectVerbs.Status))
        {
            group.MapPut("{name}/status", ReplaceStatusAsync<T>(kind))
                .WithName($"replace{singular}Status").WithSummary($"Write a {kind.Kind}'s observed status")
                .Accepts(kind.StatusType(), "application/json")
                .ProducesProblem(400).ProducesProblem(404).ProducesProblem(412).ProducesProblem(415);
        }

        return group;
    }

    /// <summary>The shared list handler; <paramref name="extra"/> is a kind's own filter (events by severity, ...).</summary>
    public static async Task<Ok<ObjectList<T>>> ListAsync<T>(HttpContext context, KindInfo kind, ListParameters parameters, Func<T, bool>? extra, ObjectReader reader, CancellationToken ct)
        where T : ClpObject
    {
        var cluster = RouteValues.Cluster(context, kind);
        Func<T, bool>? filter = null;
        if (kind.TopLevel)
        {
            var caller = Access.CallerOf(context.User);
            filter = c => AccessPolicy.Deny(caller, kind, AccessVerb.Read, c.Metadata.Name, c.Metadata.Name) is null;
        }
        else
        {
            Access.Check(context, kind, AccessVerb.Read, cluster, null);
        }

        if (extra is not null)
        {
            filter = filter is null ? extra : v => filter(v) && extra(v);
        }

        return TypedResults.Ok(await reader.ListAsync(kind, cluster, parameters, filter, ct));
    }

    private static Func<HttpContext, ObjectReader, CancellationToken, Task<Ok<T>>> GetAsync<T>(KindInfo kind)
        where T : ClpObject => async (context, reader, ct) =>
    {
        var name = RouteValues.Name(context);
        Access.Check(context, kind, AccessVerb.Read, RouteValues.AccessCluster(context, kind, name), name);
        var value = await reader.GetAsync(kind, RouteValues.Cluster(context, kind), name, ct);
        RouteValues.SetETag(context, value);
        return TypedResults.Ok((T)value);
    };

    private static Func<HttpContext, ObjectService, bool?, CancellationToken, Task<Results<Created<T>, Ok<T>>>> CreateAsync<T>(KindInfo kind)
        where T : ClpObject => async (context, service, [FromQuery] autoMonitors, ct) =>
    {
        var body = await JsonBody.ReadNodeAsync(context.Request, ct);
        var name = body["metadata"] is JsonObject meta && meta["name"] is JsonValue v && v.TryGetValue<string>(out var n) ? n : null;
        Access.Check(context, kind, AccessVerb.Create, RouteValues.AccessCluster(context, kind, name), name);
        var (value, created) = await service.CreateAsync(kind, RouteValues.Cluster(context, kind), body, new CreateOptions(autoMonitors ?? true), ct);
        RouteValues.SetETag(context, value);
        var location = $"{context.Request.Path.Value!.TrimEnd('/')}/{value.Metadata.Name}";
        return created ? TypedResults.Created(location, (T)value) : TypedResults.Ok((T)value);
    };

    private delegate Task<ClpObject> BodyWrite(ObjectService service, string cluster, string name, JsonNode body, long? ifMatch, CancellationToken ct);

    private static Func<HttpContext, ObjectService, CancellationToken, Task<Ok<T>>> ReplaceAsync<T>(KindInfo kind)
        where T : ClpObject => WriteWithBody<T>(kind, AccessVerb.Update, (s, c, n, b, m, ct) => s.ReplaceAsync(kind, c, n, b, m, ct));

    private static Func<HttpContext, ObjectService, CancellationToken, Task<Ok<T>>> PatchAsync<T>(KindInfo kind)
        where T : ClpObject => WriteWithBody<T>(kind, AccessVerb.Update, (s, c, n, b, m, ct) => s.PatchAsync(kind, c, n, b, m, ct));

    private static Func<HttpContext, ObjectService, CancellationToken, Task<Ok<T>>> ReplaceStatusAsync<T>(KindInfo kind)
        where T : ClpObject => WriteWithBody<T>(kind, AccessVerb.UpdateStatus, (s, c, n, b, m, ct) => s.ReplaceStatusAsync(kind, c, n, b, m, ct));

    /// <summary>The shape of every write of an existing object with a body: check access, read the body,
    /// write with the caller's If-Match, answer the object with its ETag.</summary>
    private static Func<HttpContext, ObjectService, CancellationToken, Task<Ok<T>>> WriteWithBody<T>(KindInfo kind, AccessVerb verb, BodyWrite write)
        where T : ClpObject => async (context, service, ct) =>
    {
        var name = RouteValues.Name(context);
        Access.Check(context, kind, verb, RouteValues.AccessCluster(context, kind, name), name);
        var body = await JsonBody.ReadNodeAsync(context.Request, ct);
        var value = await write(service, RouteValues.Cluster(context, kind), name, body, RouteValues.IfMatch(context), ct);
        RouteValues.SetETag(context, value);
        return TypedResults.Ok((T)value);
    };

    private static Func<HttpContext, ObjectService, CancellationToken, Task<Ok<T>>> DeleteAsync<T>(KindInfo kind)
        where T : ClpObject => async (context, service, ct) =>
    {
        var name = RouteValues.Name(context);
        Access.Check(context, kind, AccessVerb.Delete, RouteValues.AccessCluster(context, kind, name), name);
        var value = await service.DeleteAsync(kind, RouteValues.Cluster(context, kind), name, RouteValues.IfMatch(context), ct);
        return TypedResults.Ok((T)value);
    };
}

/// <summary>The verbs beyond get that a kind offers.</summary>
[Flags]
internal enum ObjectVerbs
{
    None = 0,
    List = 1,
    Create = 2,
    Update = 4,
    Delete = 8,
    Status = 16,
    All = List | Create | Update | Delete | Status,
}
