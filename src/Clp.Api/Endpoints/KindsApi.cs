using Clp.Core.Model;

namespace Clp.Api.Endpoints;

/// <summary>The kinds served by the shared object routes alone, one line each: the table of contents of
/// the native API. Events, Leases and ApiKeys have modules of their own.</summary>
internal static class KindsApi
{
    public static IEndpointRouteBuilder MapKindsApi(this IEndpointRouteBuilder app)
    {
        app.MapObjectRoutes<Cluster>(Kinds.Cluster, "Cluster", "Clusters",
            "Clusters are top level; every other kind lives under one. Creating a cluster also creates its userw monitor unless autoMonitors=false.");
        app.MapObjectRoutes<Server>(Kinds.Server, "Server", "Servers",
            "The cluster's servers (nodes); each agent writes only its own server's status.");
        app.MapObjectRoutes<ServerGroup>(Kinds.ServerGroup, "ServerGroup", "ServerGroups",
            "Named sets of servers that failover policies name in order.");
        app.MapObjectRoutes<Group>(Kinds.Group, "Group", "Groups",
            "Failover groups; their status (placement, epoch) is written by the controller.");
        app.MapObjectRoutes<Resource>(Kinds.Resource, "Resource", "Resources",
            "Group resources; creating one also creates its type's monitors (fipw for fip, ...) unless autoMonitors=false. status.servers is computed from the servers' statuses.");
        app.MapObjectRoutes<Monitor>(Kinds.Monitor, "Monitor", "Monitors",
            "Monitor resources; status.servers is computed from the servers' statuses.");
        app.MapObjectRoutes<License>(Kinds.License, "License", "Licenses",
            "Registered licenses (stored; gating of types by license comes later).");
        app.MapObjectRoutes<Operation>(Kinds.Operation, "Operation", "Operations",
            "Operator requests (start, stop, move, ...) with a visible lifecycle; a create with a known clientRequestId returns the first operation (200).",
            ObjectVerbs.List | ObjectVerbs.Create | ObjectVerbs.Delete | ObjectVerbs.Status);
        return app;
    }
}
