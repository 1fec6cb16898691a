using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Rules of a Cluster spec, including the ones its servers must keep satisfying.</summary>
internal static class ClusterRules
{
    public const int MinHeartbeatIntervalMs = 100;

    public static void Validate(Cluster cluster, ClusterSnapshot after, ValidationContext context)
    {
        var spec = cluster.Spec;
        context.MaxLength(spec.Description, 1024, "spec.description");
        var hb = spec.Heartbeat;
        if (hb is null)
        {
            context.Add("spec.heartbeat", "required", "spec.heartbeat is required");
        }
        else
        {
            context.Range(hb.IntervalMs, MinHeartbeatIntervalMs, 3_600_000, "spec.heartbeat.intervalMs");
            if ((long)hb.TimeoutMs < 3L * hb.IntervalMs)
            {
                context.Add("spec.heartbeat.timeoutMs", "heartbeat-timeout-min",
                    $"spec.heartbeat.timeoutMs ({hb.TimeoutMs}) must be at least 3 x spec.heartbeat.intervalMs ({hb.IntervalMs})");
            }

            context.Min(hb.TimeoutMs, 300, "spec.heartbeat.timeoutMs");
        }

        context.Range(spec.StartupSyncWaitSeconds, 0, 86_400, "spec.startupSyncWaitSeconds");
        if (!Enum.IsDefined(spec.IsolationAction))
        {
            // JSON refuses unknown names already; this guards in-process writers (a cast integer).
            context.Add("spec.isolationAction", "enum",
                $"spec.isolationAction ({(int)spec.IsolationAction}) is not one of {string.Join(", ", Enum.GetNames<IsolationAction>())}");
        }

        ValidateInterconnects(spec, context);
        ValidateNpResolvers(spec, after, context);
        if (after.Servers.Count > 0)
        {
            var names = (spec.Interconnects ?? []).Select(i => i.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var server in after.Servers.Values)
            {
                foreach (var used in (server.Spec.Interconnects ?? []).Where(a => !names.Contains(a.Interconnect)))
                {
                    context.Add("spec.interconnects", "interconnect-in-use",
                        $"server '{server.Metadata.Name}' has an address on interconnect '{used.Interconnect}'; change the server first");
                }
            }

            ServerRules.CheckLanReachesAll(after, "spec.interconnects", context);
            NpMediaRules.CheckDevicesInUse(after, context);
        }
    }

    private static void ValidateInterconnects(ClusterSpec spec, ValidationContext context)
    {
        var interconnects = spec.Interconnects ?? [];
        context.Unique(interconnects.Select(i => i.Name).ToList(), "spec.interconnects[*].name");
        for (var i = 0; i < interconnects.Count; i++)
        {
            var ic = interconnects[i];
            var field = $"spec.interconnects[{i}]";
            context.Name(ic.Name, $"{field}.name");
            if (ic.Network is not null && !NetworkSyntax.IsCidr(ic.Network))
            {
                context.Add($"{field}.network", "cidr", $"{field}.network '{ic.Network}' is not a CIDR network such as 192.168.0.0/24");
            }

            if (ic.Type == InterconnectType.Witness && !NetworkSyntax.IsHttpUrl(ic.WitnessUrl))
            {
                context.Add($"{field}.witnessUrl", "url", $"{field}.witnessUrl must be an absolute http(s) URL for a Witness interconnect");
            }
            else if (ic.Type != InterconnectType.Witness && ic.WitnessUrl is not null)
            {
                context.Add($"{field}.witnessUrl", "not-allowed", $"{field}.witnessUrl is only for Witness interconnects");
            }

            if (ic.Type == InterconnectType.Bmc)
            {
                context.Add($"{field}.type", "unsupported-type",
                    $"{field}.type Bmc: no server of this cluster can reach a BMC (CLP has no BMC heartbeat driver yet); use Lan interconnects, the API is the witness");
            }

            if (ic.Port is { } port && (ic.Type != InterconnectType.Lan || port is < 1 or > 65535))
            {
                context.Add($"{field}.port", ic.Type != InterconnectType.Lan ? "not-allowed" : "range",
                    ic.Type != InterconnectType.Lan ? $"{field}.port is only for Lan interconnects" : $"{field}.port must be between 1 and 65535");
            }
        }

        if (!interconnects.Any(i => i.Type == InterconnectType.Lan))
        {
            context.Add("spec.interconnects", "lan-interconnect-required",
                "spec.interconnects needs at least one Lan interconnect (two are recommended)");
        }
    }

    private static void ValidateNpResolvers(ClusterSpec spec, ClusterSnapshot after, ValidationContext context)
    {
        var resolvers = spec.NpResolvers ?? [];
        context.Unique(resolvers.Select(r => r.Name).ToList(), "spec.npResolvers[*].name");
        for (var i = 0; i < resolvers.Count; i++)
        {
            var np = resolvers[i];
            var field = $"spec.npResolvers[{i}]";
            context.Name(np.Name, $"{field}.name");
            context.Range(np.IntervalSeconds, 1, 3600, $"{field}.intervalSeconds");
            context.Range(np.TimeoutSeconds, 1, 3600, $"{field}.timeoutSeconds");
            switch (np.Type)
            {
                case NpResolverType.Ping:
                    if (np.Targets is not { Count: > 0 })
                    {
                        context.Add($"{field}.targets", "required", $"{field}.targets needs at least one address for a Ping resolver");
                    }
                    else
                    {
                        for (var t = 0; t < np.Targets.Count; t++)
                        {
                            context.IpAddress(np.Targets[t], $"{field}.targets[{t}]", required: true);
                        }
                    }

                    break;
                case NpResolverType.Http:
                    if (!NetworkSyntax.IsHttpUrl(np.Url))
                    {
                        context.Add($"{field}.url", "url", $"{field}.url must be an absolute http(s) URL for an Http resolver");
                    }

                    break;
                case NpResolverType.Disk:
                    if (!NpMediaRules.IsAbsolutePath(np.Path))
                    {
                        context.Add($"{field}.path", np.Path is null ? "required" : "absolute-path",
                            $"{field}.path must be the absolute path of the shared heartbeat area (a disk partition or a file on a shared file system) for a Disk resolver");
                    }

                    break;
                case NpResolverType.Com:
                    NpMediaRules.CheckComResolver(np, field, after, context);
                    break;
            }

            if (np.Type is not NpResolverType.Disk && np.Path is not null)
            {
                context.Add($"{field}.path", "not-allowed", $"{field}.path is only for Disk resolvers");
            }

            if (np.Type is not NpResolverType.Com && np.Device is not null)
            {
                context.Add($"{field}.device", "not-allowed", $"{field}.device is only for Com resolvers");
            }

            if (np.Type is not NpResolverType.Ping && np.Targets is not null)
            {
                context.Add($"{field}.targets", "not-allowed", $"{field}.targets is only for Ping resolvers");
            }

            if (np.Type is not NpResolverType.Http && np.Url is not null)
            {
                context.Add($"{field}.url", "not-allowed", $"{field}.url is only for Http resolvers");
            }

            if (after.Cluster is not null && np.Servers is not null)
            {
                for (var s = 0; s < np.Servers.Count; s++)
                {
                    if (after.Servers.Count > 0)
                    {
                        context.Reference(np.Servers[s], after.Servers, "Server", $"{field}.servers[{s}]");
                    }
                }
            }
        }
    }
}
