using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Rules of a Server: addresses, its interconnects, unique priority, and the cluster-wide rule
/// that at least one LAN interconnect reaches every server, and its serial devices for Com NP resolvers.</summary>
internal static class ServerRules
{
    public static void Validate(Server server, ClusterSnapshot after, ValidationContext context)
    {
        var spec = server.Spec;
        context.MaxLength(spec.Description, 1024, "spec.description");
        context.Range(spec.Priority, 0, 100_000, "spec.priority");
        context.IpAddress(spec.PublicAddress, "spec.publicAddress");
        context.IpAddress(spec.MirrorConnectAddress, "spec.mirrorConnectAddress");
        context.IpAddress(spec.BmcAddress, "spec.bmcAddress");
        var name = server.Metadata.Name;
        var samePriority = after.Servers.Values.FirstOrDefault(s =>
            s.Spec.Priority == spec.Priority && !string.Equals(s.Metadata.Name, name, StringComparison.OrdinalIgnoreCase));
        if (samePriority is not null)
        {
            context.Add("spec.priority", "priority-unique",
                $"spec.priority {spec.Priority} is already server '{samePriority.Metadata.Name}''s; priorities order servers and must be unique");
        }

        var interconnects = spec.Interconnects ?? [];
        context.Unique(interconnects.Select(i => i.Interconnect).ToList(), "spec.interconnects[*].interconnect");
        var clusterInterconnects = (after.Cluster?.Spec.Interconnects ?? [])
            .ToDictionary(i => i.Name, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < interconnects.Count; i++)
        {
            var field = $"spec.interconnects[{i}]";
            var entry = interconnects[i];
            context.IpAddress(entry.Address, $"{field}.address", required: true);
            if (!context.Reference(entry.Interconnect, clusterInterconnects, "interconnect", $"{field}.interconnect"))
            {
                continue;
            }

            var ic = clusterInterconnects[entry.Interconnect];
            if (ic.Network is not null && NetworkSyntax.IsCidr(ic.Network) && NetworkSyntax.IsIpAddress(entry.Address)
                && !NetworkSyntax.Contains(ic.Network, entry.Address))
            {
                context.Add($"{field}.address", "address-outside-network",
                    $"{field}.address {entry.Address} is not in interconnect '{ic.Name}''s network {ic.Network}");
            }

            var clash = after.Servers.Values.FirstOrDefault(s =>
                !string.Equals(s.Metadata.Name, name, StringComparison.OrdinalIgnoreCase)
                && (s.Spec.Interconnects ?? []).Any(a =>
                    string.Equals(a.Interconnect, entry.Interconnect, StringComparison.OrdinalIgnoreCase) && a.Address == entry.Address));
            if (clash is not null)
            {
                context.Add($"{field}.address", "address-in-use",
                    $"{field}.address {entry.Address} is already server '{clash.Metadata.Name}''s on interconnect '{entry.Interconnect}'");
            }
        }

        CheckLanReachesAll(after, "spec.interconnects", context);
        NpMediaRules.CheckServer(server, after, context);
    }

    /// <summary>The guide's rule: at least one LAN interconnect on which every server has an address.</summary>
    public static void CheckLanReachesAll(ClusterSnapshot after, string field, ValidationContext context)
    {
        var lans = (after.Cluster?.Spec.Interconnects ?? []).Where(i => i.Type == InterconnectType.Lan).ToList();
        var reachesAll = lans.Any(lan => after.Servers.Values.All(s =>
            (s.Spec.Interconnects ?? []).Any(a => string.Equals(a.Interconnect, lan.Name, StringComparison.OrdinalIgnoreCase))));
        if (!reachesAll)
        {
            context.Add(field, "lan-interconnect-reaches-all",
                "at least one Lan interconnect must reach every server: give each server an address on a common Lan interconnect");
        }
    }
}
