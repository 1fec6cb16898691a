using Clp.Core.Catalog;
using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Rules of a monitor: type and timing, its target, timing values, servers and recovery.</summary>
internal static class MonitorRules
{
    public static void Validate(Monitor monitor, ClusterSnapshot after, TypeCatalog catalog, ValidationContext context)
    {
        var spec = monitor.Spec;
        context.MaxLength(spec.Description, 1024, "spec.description");
        context.Range(spec.IntervalSeconds, 1, 86_400, "spec.intervalSeconds");
        context.Range(spec.TimeoutSeconds, 1, 86_400, "spec.timeoutSeconds");
        context.Range(spec.RetryCount, 0, 999, "spec.retryCount");
        context.Range(spec.StartWaitSeconds, 0, 86_400, "spec.startWaitSeconds");
        var servers = spec.Servers ?? [];
        context.Unique(servers, "spec.servers");
        for (var i = 0; i < servers.Count; i++)
        {
            context.Reference(servers[i], after.Servers, "Server", $"spec.servers[{i}]");
        }

        var type = TypeChecks.MonitorType(spec.Type, catalog, context);
        if (type is not null)
        {
            ValidateTypeAndTarget(spec, type, after, context);
            context.AddRange(catalog.ValidateParameters(type, spec.Parameters));
        }
        else if (spec.Target is not null)
        {
            context.Reference(spec.Target, after.Resources, "Resource", "spec.target");
        }

        ValidateRecovery(spec.Recovery, after, context);
    }

    private static void ValidateTypeAndTarget(MonitorSpec spec, CatalogType type, ClusterSnapshot after, ValidationContext context)
    {
        var timing = spec.Timing ?? type.DefaultTiming ?? MonitorTiming.Always;
        if (!type.Timings.Contains(timing))
        {
            context.Add("spec.timing", "timing-not-allowed",
                $"spec.timing {timing} is not allowed for {type.Type}; allowed: {string.Join(", ", type.Timings)}");
        }

        var needsTarget = type.RequiresTarget || timing == MonitorTiming.Active;
        if (needsTarget && string.IsNullOrEmpty(spec.Target))
        {
            context.Add("spec.target", "required", $"spec.target (a resource) is required for {(type.RequiresTarget ? type.Type : "an Active monitor")}");
        }
        else if (!string.IsNullOrEmpty(spec.Target) && context.Reference(spec.Target, after.Resources, "Resource", "spec.target"))
        {
            var targetType = after.Resources[spec.Target].Spec.Type;
            if (type.TargetResourceTypes.Count > 0 && !type.TargetResourceTypes.Contains(targetType))
            {
                context.Add("spec.target", "target-type",
                    $"spec.target '{spec.Target}' is a {targetType}; {type.Type} watches {string.Join(" or ", type.TargetResourceTypes)}");
            }
        }

    }

    private static void ValidateRecovery(MonitorRecovery? recovery, ClusterSnapshot after, ValidationContext context)
    {
        if (recovery is null)
        {
            context.Add("spec.recovery", "required", "spec.recovery is required");
            return;
        }

        context.Range(recovery.RestartCount, 0, 99, "spec.recovery.restartCount");
        context.Range(recovery.FailoverCount, 0, 99, "spec.recovery.failoverCount");
        switch (recovery.TargetKind)
        {
            case RecoveryTargetKind.Resource:
                context.Reference(recovery.Target, after.Resources, "Resource", "spec.recovery.target");
                break;
            case RecoveryTargetKind.Group:
                context.Reference(recovery.Target, after.Groups, "Group", "spec.recovery.target");
                break;
            default:
                if (recovery.Target is not null)
                {
                    context.Add("spec.recovery.target", "not-allowed",
                        $"spec.recovery.target is not used with targetKind {recovery.TargetKind}; remove it");
                }

                break;
        }
    }
}
