using Clp.Core.Catalog;
using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Rules of a group resource: its group, its type and parameters, and its dependencies (same
/// group, no cycles).</summary>
internal static class ResourceRules
{
    public static void Validate(Resource resource, ClusterSnapshot after, TypeCatalog catalog, ValidationContext context)
    {
        var spec = resource.Spec;
        var name = resource.Metadata.Name;
        context.MaxLength(spec.Description, 1024, "spec.description");
        context.Reference(spec.Group, after.Groups, "Group", "spec.group");
        context.Range(spec.StartTimeoutSeconds, 1, 86_400, "spec.startTimeoutSeconds");
        context.Range(spec.StopTimeoutSeconds, 1, 86_400, "spec.stopTimeoutSeconds");
        ValidateRecovery(spec, context);
        var type = TypeChecks.ResourceType(spec.Type, catalog, context);
        if (type is not null)
        {
            context.AddRange(catalog.ValidateParameters(type, spec.Parameters));
            if (type.MirrorDisk && after.Groups.TryGetValue(spec.Group, out var group) && group.Spec.Failback == FailbackAttribute.Auto)
            {
                context.Add("spec.type", "failback-auto-mirror-disk",
                    $"group '{group.Metadata.Name}' has automatic failback, which is not allowed with a mirror/hybrid disk");
            }
        }

        var dependsOn = spec.DependsOn ?? [];
        context.Unique(dependsOn, "spec.dependsOn");
        for (var i = 0; i < dependsOn.Count; i++)
        {
            var field = $"spec.dependsOn[{i}]";
            if (string.Equals(dependsOn[i], name, StringComparison.OrdinalIgnoreCase))
            {
                context.Add(field, "dependency-cycle", $"{field}: a resource cannot depend on itself");
            }
            else if (context.Reference(dependsOn[i], after.Resources, "Resource", field)
                     && !string.Equals(after.Resources[dependsOn[i]].Spec.Group, spec.Group, StringComparison.OrdinalIgnoreCase))
            {
                context.Add(field, "dependency-other-group",
                    $"{field} '{dependsOn[i]}' is in group '{after.Resources[dependsOn[i]].Spec.Group}', not '{spec.Group}'");
            }
        }

        foreach (var dependent in after.Resources.Values.Where(r =>
                     (r.Spec.DependsOn ?? []).Any(d => string.Equals(d, name, StringComparison.OrdinalIgnoreCase))
                     && !string.Equals(r.Spec.Group, spec.Group, StringComparison.OrdinalIgnoreCase)))
        {
            context.Add("spec.group", "dependency-other-group",
                $"resource '{dependent.Metadata.Name}' of group '{dependent.Spec.Group}' depends on this one; dependencies stay within a group");
        }

        var cycle = FindCycle(name, after);
        if (cycle is not null)
        {
            context.Add("spec.dependsOn", "dependency-cycle", $"spec.dependsOn makes a cycle: {string.Join(" -> ", cycle)}");
        }
    }

    private static void ValidateRecovery(ResourceSpec spec, ValidationContext context)
    {
        if (spec.Activation is null)
        {
            context.Add("spec.activation", "required", "spec.activation is required");
        }
        else
        {
            context.Range(spec.Activation.RetryCount, 0, 99, "spec.activation.retryCount");
            context.Range(spec.Activation.FailoverThreshold, 0, 99, "spec.activation.failoverThreshold");
        }

        if (spec.Deactivation is null)
        {
            context.Add("spec.deactivation", "required", "spec.deactivation is required");
        }
        else
        {
            context.Range(spec.Deactivation.RetryCount, 0, 99, "spec.deactivation.retryCount");
        }
    }

    /// <summary>A dependency path from <paramref name="start"/> back to itself, or null (depth-first search).</summary>
    private static List<string>? FindCycle(string start, ClusterSnapshot after)
    {
        var path = new List<string>();
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return Visit(start) ? path : null;

        bool Visit(string node)
        {
            if (path.Count > 0 && string.Equals(node, start, StringComparison.OrdinalIgnoreCase))
            {
                path.Add(node);
                return true;
            }

            if (!done.Add(node) || !after.Resources.TryGetValue(node, out var resource))
            {
                return false;
            }

            path.Add(resource.Metadata.Name);
            foreach (var next in resource.Spec.DependsOn ?? [])
            {
                if (Visit(next))
                {
                    return true;
                }
            }

            path.RemoveAt(path.Count - 1);
            return false;
        }
    }
}
