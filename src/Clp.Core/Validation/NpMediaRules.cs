using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Rules of the NP media that span a Cluster and its Servers: a Disk resolver's heartbeat area,
/// a Com resolver's serial line (two servers, each with a device: the resolver's <c>device</c> or its own
/// <c>spec.npDevices</c> entry). Checked from both sides, like the interconnect addresses.</summary>
internal static class NpMediaRules
{
    private const int MaxPathLength = 1024;

    /// <summary>An absolute Linux path: starts with '/', no NUL, at most 1024 characters.</summary>
    public static bool IsAbsolutePath(string? path) =>
        path is { Length: > 1 and <= MaxPathLength } && path[0] == '/' && !path.Contains('\0', StringComparison.Ordinal);

    /// <summary>The servers (existing ones) a resolver applies to: its list, or every server.</summary>
    public static List<string> AppliesTo(NpResolverSpec resolver, ClusterSnapshot after) => resolver.Servers is { Count: > 0 } listed
        ? [.. listed.Distinct(StringComparer.OrdinalIgnoreCase)]
        : [.. after.Servers.Keys];

    /// <summary>The device <paramref name="server"/> uses for a Com resolver: its own entry, else the resolver's.</summary>
    public static string? DeviceOf(NpResolverSpec resolver, Server? server) =>
        server?.Spec.NpDevices?.FirstOrDefault(d => string.Equals(d.Resolver, resolver.Name, StringComparison.OrdinalIgnoreCase))?.Device
        ?? resolver.Device;

    /// <summary>A Com resolver: an absolute device, at most two servers, and a device for each of them.</summary>
    public static void CheckComResolver(NpResolverSpec np, string field, ClusterSnapshot after, ValidationContext context)
    {
        if (np.Device is not null && !IsAbsolutePath(np.Device))
        {
            context.Add($"{field}.device", "absolute-path", $"{field}.device '{np.Device}' must be the absolute path of a serial device such as /dev/ttyS0");
        }

        var servers = AppliesTo(np, after);
        if (servers.Count > 2)
        {
            context.Add($"{field}.servers", "com-two-servers", np.Servers is { Count: > 0 }
                ? $"{field}.servers lists {servers.Count} servers; a Com resolver's serial line joins exactly two"
                : $"{field} applies to every server and the cluster has {servers.Count}; a Com resolver's serial line joins two: list them in {field}.servers");
        }

        foreach (var name in servers.Where(s => DeviceOf(np, after.Servers.GetValueOrDefault(s)) is null && after.Servers.ContainsKey(s)).Order(StringComparer.Ordinal))
        {
            context.Add($"{field}.device", "device-required",
                $"{field}.device is required: server '{name}' names no device of its own for '{np.Name}' in spec.npDevices");
        }
    }

    /// <summary>Cluster side: every server's <c>spec.npDevices</c> entry still names a Com resolver.</summary>
    public static void CheckDevicesInUse(ClusterSnapshot after, ValidationContext context)
    {
        var com = (after.Cluster?.Spec.NpResolvers ?? []).Where(r => r.Type == NpResolverType.Com).Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var server in after.Servers.Values.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            foreach (var entry in (server.Spec.NpDevices ?? []).Where(d => !com.Contains(d.Resolver)))
            {
                context.Add("spec.npResolvers", "np-device-in-use",
                    $"server '{server.Metadata.Name}' names a serial device for NP resolver '{entry.Resolver}', which is not a Com resolver of this cluster; change the server first");
            }
        }
    }

    /// <summary>Server side: its device entries, and the Com resolvers that apply to it (two servers, a device each).</summary>
    public static void CheckServer(Server server, ClusterSnapshot after, ValidationContext context)
    {
        var entries = server.Spec.NpDevices ?? [];
        context.Unique(entries.Select(d => d.Resolver).ToList(), "spec.npDevices[*].resolver");
        var resolvers = (after.Cluster?.Spec.NpResolvers ?? []).ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"spec.npDevices[{i}]";
            if (!IsAbsolutePath(entries[i].Device))
            {
                context.Add($"{field}.device", string.IsNullOrEmpty(entries[i].Device) ? "required" : "absolute-path",
                    $"{field}.device must be the absolute path of a serial device such as /dev/ttyS0");
            }

            if (context.Reference(entries[i].Resolver, resolvers, "NP resolver", $"{field}.resolver") && resolvers[entries[i].Resolver].Type != NpResolverType.Com)
            {
                context.Add($"{field}.resolver", "com-resolver-required",
                    $"{field}.resolver '{entries[i].Resolver}' is a {resolvers[entries[i].Resolver].Type} resolver; only Com resolvers take a device");
            }
        }

        var name = server.Metadata.Name;
        foreach (var com in resolvers.Values.Where(r => r.Type == NpResolverType.Com && AppliesTo(r, after).Contains(name, StringComparer.OrdinalIgnoreCase)))
        {
            var count = AppliesTo(com, after).Count;
            if (count > 2 && com.Servers is not { Count: > 0 })
            {
                context.Add("metadata.name", "com-two-servers",
                    $"the cluster's Com resolver '{com.Name}' applies to every server and would join {count}; its serial line joins two: list them in its servers first");
            }

            if (DeviceOf(com, server) is null)
            {
                context.Add("spec.npDevices", "device-required",
                    $"spec.npDevices needs a device for the cluster's Com resolver '{com.Name}', which names none of its own");
            }
        }
    }
}
