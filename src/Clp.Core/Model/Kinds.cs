namespace Clp.Core.Model;

/// <summary>The registry of kinds (DESIGN.md "Resource model").</summary>
public static class Kinds
{
    public static readonly KindInfo Cluster = new("Cluster", "clusters", typeof(Cluster));
    public static readonly KindInfo Server = new("Server", "servers", typeof(Server));
    public static readonly KindInfo ServerGroup = new("ServerGroup", "servergroups", typeof(ServerGroup));
    public static readonly KindInfo Group = new("Group", "groups", typeof(Group));
    public static readonly KindInfo Resource = new("Resource", "resources", typeof(Resource));
    public static readonly KindInfo Monitor = new("Monitor", "monitors", typeof(Monitor));
    public static readonly KindInfo License = new("License", "licenses", typeof(License));
    public static readonly KindInfo Operation = new("Operation", "operations", typeof(Operation), SpecMutable: false);
    public static readonly KindInfo Event = new("Event", "events", typeof(Event), SpecMutable: false);
    public static readonly KindInfo Lease = new("Lease", "leases", typeof(Lease));
    public static readonly KindInfo ApiKey = new("ApiKey", "apikeys", typeof(ApiKey), SpecMutable: false);

    public static IReadOnlyList<KindInfo> All { get; } =
        [Cluster, Server, ServerGroup, Group, Resource, Monitor, License, Operation, Event, Lease, ApiKey];

    public static KindInfo? ByName(string kind) =>
        All.FirstOrDefault(k => string.Equals(k.Kind, kind, StringComparison.OrdinalIgnoreCase));
}
