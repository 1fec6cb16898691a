using System.ComponentModel;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Api.Auth;
using Clp.Api.Objects;
using Clp.Core.Model;
using Clp.Core.Security;
using Clp.Core.Store;
using Clp.Core.Validation;
using Microsoft.AspNetCore.Mvc;

namespace Clp.Api.Endpoints;

/// <summary>Change feeds as Server-Sent Events: per cluster (all kinds, what an agent uses) and per kind.
/// Each event's <c>id</c> is its resourceVersion and its <c>data</c> is <c>{"type":..,"object":..}</c>;
/// resume with <c>Last-Event-ID</c> or <c>resourceVersion</c>. 410 when that is older than the retained
/// history: list again and watch from the list's resourceVersion.</summary>
internal static class WatchApi
{
    private const string Base = $"{ClpApi.BasePath}/watch/clusters";

    public static IEndpointRouteBuilder MapWatchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Base).WithTags("Watch");
        group.MapGet("", (HttpContext context, [AsParameters] WatchParameters parameters, IResourceStore store, CancellationToken ct) =>
                WatchAsync(context, Kinds.Cluster, "", parameters, store, ct))
            .WithName("watchClusters").WithSummary("Watch clusters (Server-Sent Events)").ProducesEvents();
        group.MapGet("{cluster}", (HttpContext context, string cluster, [AsParameters] WatchParameters parameters, IResourceStore store, CancellationToken ct) =>
                WatchAsync(context, null, cluster, parameters, store, ct))
            .WithName("watchCluster").WithSummary("Watch every kind in a cluster (Server-Sent Events)").ProducesEvents();
        foreach (var kind in Kinds.All.Where(k => !k.TopLevel))
        {
            group.MapGet($"{{cluster}}/{kind.Plural}", (HttpContext context, string cluster, [AsParameters] WatchParameters parameters, IResourceStore store, CancellationToken ct) =>
                    WatchAsync(context, kind, cluster, parameters, store, ct))
                .WithName($"watch{Plural(kind)}").WithSummary($"Watch {kind.Plural} in a cluster (Server-Sent Events)").ProducesEvents();
        }

        return app;
    }

    private static RouteHandlerBuilder ProducesEvents(this RouteHandlerBuilder route) =>
        route.Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(410);

    private static string Plural(KindInfo kind) => kind.Kind switch
    {
        "ServerGroup" => "ServerGroups",
        "ApiKey" => "ApiKeys",
        _ => char.ToUpperInvariant(kind.Plural[0]) + kind.Plural[1..],
    };

    private static async Task<IResult> WatchAsync(HttpContext context, KindInfo? kind, string cluster, WatchParameters parameters, IResourceStore store, CancellationToken ct)
    {
        var caller = Access.CallerOf(context.User);
        cluster = Names.Key(cluster);
        if (kind?.TopLevel != true)
        {
            Access.Check(context, kind ?? Kinds.Server, AccessVerb.Read, cluster, null);
            if (await store.GetAsync(new ObjectKey(Kinds.Cluster.Kind, "", cluster), ct) is null)
            {
                throw ApiProblemException.NotFound($"Cluster '{cluster}'");
            }
        }

        var after = ResumePoint(context, parameters) ?? await store.GetResourceVersionAsync(ct);
        var oldest = await store.GetOldestResumableResourceVersionAsync(ct);
        if (after < oldest)
        {
            throw new ApiProblemException(410, Core.Problems.ProblemTypes.Gone, "Resource version too old",
                $"resourceVersion {after} is older than the retained history (the oldest resumable is {oldest}); list again and watch from the list's resourceVersion");
        }

        var query = new WatchQuery(kind?.TopLevel == true ? "" : cluster, kind?.Kind, after);
        return TypedResults.ServerSentEvents(Stream(store, query, caller, ct));
    }

    private static long? ResumePoint(HttpContext context, WatchParameters parameters)
    {
        var header = context.Request.Headers["Last-Event-ID"].ToString();
        var (name, text) = header.Length > 0 ? ("Last-Event-ID", header) : ("resourceVersion", parameters.ResourceVersion);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
        {
            throw ApiProblemException.BadParameter(name, $"{name} '{text}' is not a resourceVersion");
        }

        return rv;
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(IResourceStore store, WatchQuery query, Caller caller, [EnumeratorCancellation] CancellationToken ct)
    {
        var events = store.WatchAsync(query, ct).GetAsyncEnumerator(ct);
        try
        {
            while (true)
            {
                WatchEvent change;
                SseItem<string>? error = null;
                try
                {
                    if (!await events.MoveNextAsync())
                    {
                        yield break;
                    }

                    change = events.Current;
                }
                catch (ResourceVersionGoneException e)
                {
                    change = null!;
                    error = new SseItem<string>(ProblemJson(e), "Error");
                }

                if (error is { } item)
                {
                    yield return item;
                    yield break;
                }

                var kind = Kinds.ByName(change.Object.Key.Kind);
                if (kind is null || AccessPolicy.Deny(caller, kind, AccessVerb.Read, query.Cluster.Length > 0 ? query.Cluster : change.Object.Key.Name, null) is not null)
                {
                    continue;
                }

                var data = new JsonObject
                {
                    ["type"] = change.Type.ToString(),
                    ["object"] = JsonNode.Parse(change.Object.Json),
                };
                yield return new SseItem<string>(data.ToJsonString(), change.Type.ToString())
                {
                    EventId = change.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                };
            }
        }
        finally
        {
            await events.DisposeAsync();
        }
    }

    private static string ProblemJson(ResourceVersionGoneException e) => JsonSerializer.Serialize(new ProblemDetails
    {
        Type = Core.Problems.ProblemTypes.Gone,
        Status = 410,
        Title = "Resource version too old",
        Detail = e.Message + "; list again and watch from the list's resourceVersion",
    });
}

/// <summary>Where a watch starts.</summary>
public sealed class WatchParameters
{
    [FromQuery(Name = "resourceVersion")]
    [Description("Resume after this resourceVersion (Last-Event-ID wins when both are given); when absent, only changes from now on.")]
    public string? ResourceVersion { get; set; }
}
