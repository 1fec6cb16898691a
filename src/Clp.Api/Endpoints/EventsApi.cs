using System.ComponentModel;
using Clp.Api.Objects;
using Clp.Core.Model;
using Microsoft.AspNetCore.Mvc;

namespace Clp.Api.Endpoints;

/// <summary>The alert log: events are created by agents, the controller, admins and operators (external
/// messages for the mrw monitors), never changed, and
/// queried by severity, object, server and time.</summary>
internal static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapObjectRoutes<Event>(Kinds.Event, "Event", "Events", "", ObjectVerbs.Create);
        group.MapGet("", (HttpContext context, [AsParameters] ListParameters parameters, [AsParameters] EventQuery query, ObjectReader reader, CancellationToken ct) =>
                ObjectEndpoints.ListAsync(context, Kinds.Event, parameters, query.ToFilter(), reader, ct))
            .WithName("listEvents").WithSummary("Query the alert log")
            .WithDescription("Events in name order (names of generated events sort by time), filtered by severity, object, server and time.")
            .ProducesProblem(400).ProducesProblem(404);
        return app;
    }
}

/// <summary>Alert-log filters; all optional and combined with AND.</summary>
public sealed class EventQuery
{
    [FromQuery(Name = "severity")]
    [Description("Comma-separated severities to include: Info, Warning, Error.")]
    public string? Severity { get; set; }

    [FromQuery(Name = "objectKind")]
    [Description("Only events about objects of this kind.")]
    public string? ObjectKind { get; set; }

    [FromQuery(Name = "objectName")]
    [Description("Only events about objects of this name.")]
    public string? ObjectName { get; set; }

    [FromQuery(Name = "server")]
    [Description("Only events that happened on this server.")]
    public string? Server { get; set; }

    [FromQuery(Name = "since")]
    [Description("Only events at or after this time (ISO 8601).")]
    public DateTimeOffset? Since { get; set; }

    [FromQuery(Name = "until")]
    [Description("Only events before this time (ISO 8601).")]
    public DateTimeOffset? Until { get; set; }

    public Func<Event, bool> ToFilter()
    {
        var severities = new HashSet<EventSeverity>();
        foreach (var part in (Severity ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<EventSeverity>(part, ignoreCase: true, out var severity) || int.TryParse(part, out _))
            {
                throw ApiProblemException.BadParameter("severity", $"severity '{part}' is not one of Info, Warning, Error");
            }

            severities.Add(severity);
        }

        return e =>
            (severities.Count == 0 || severities.Contains(e.Spec.Severity))
            && (ObjectKind is null || string.Equals(e.Spec.Object?.Kind, ObjectKind, StringComparison.OrdinalIgnoreCase))
            && (ObjectName is null || string.Equals(e.Spec.Object?.Name, ObjectName, StringComparison.OrdinalIgnoreCase))
            && (Server is null || string.Equals(e.Spec.Server, Server, StringComparison.OrdinalIgnoreCase))
            && (Since is null || (e.Spec.Time ?? e.Metadata.CreationTimestamp) >= Since)
            && (Until is null || (e.Spec.Time ?? e.Metadata.CreationTimestamp) < Until);
    }
}
