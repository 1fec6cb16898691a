using System.Text.Json.Nodes;
using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Rules of an Operation: the verb's target kind, that the target exists, and the verb's
/// parameters (closed per verb).</summary>
internal static class OperationRules
{
    private static readonly Dictionary<OperationVerb, (string Kind, string[] Parameters)> Verbs = new()
    {
        [OperationVerb.ClusterStart] = ("Cluster", []),
        [OperationVerb.ClusterStop] = ("Cluster", []),
        [OperationVerb.ClusterSuspend] = ("Cluster", []),
        [OperationVerb.ClusterResume] = ("Cluster", []),
        [OperationVerb.ClusterShutdown] = ("Cluster", []),
        [OperationVerb.ClusterReboot] = ("Cluster", []),
        [OperationVerb.ServerStop] = ("Server", []),
        [OperationVerb.ServerReturn] = ("Server", []),
        [OperationVerb.ServerShutdown] = ("Server", []),
        [OperationVerb.ServerReboot] = ("Server", []),
        [OperationVerb.GroupStart] = ("Group", ["server"]),
        [OperationVerb.GroupStop] = ("Group", []),
        [OperationVerb.GroupMove] = ("Group", ["server"]),
        [OperationVerb.ResourceStart] = ("Resource", ["server"]),
        [OperationVerb.ResourceStop] = ("Resource", []),
        [OperationVerb.MonitorSuspend] = ("Monitor", ["server"]),
        [OperationVerb.MonitorResume] = ("Monitor", ["server"]),
        [OperationVerb.FailureVerification] = ("Monitor", ["server"]),
        [OperationVerb.TimeoutRatioSet] = ("Cluster", ["ratio", "durationSeconds"]),
        [OperationVerb.TimeoutRatioReset] = ("Cluster", []),
    };

    public static void Validate(Operation operation, ClusterSnapshot after, ValidationContext context)
    {
        var spec = operation.Spec;
        context.MaxLength(spec.ClientRequestId, 128, "spec.clientRequestId");
        if (!Verbs.TryGetValue(spec.Verb, out var verb))
        {
            context.Add("spec.verb", "enum", "spec.verb is not a known verb");
            return;
        }

        var target = spec.Target;
        if (target is null)
        {
            context.Add("spec.target", "required", "spec.target is required");
            return;
        }

        if (!string.Equals(target.Kind, verb.Kind, StringComparison.Ordinal))
        {
            context.Add("spec.target.kind", "target-kind", $"spec.verb {spec.Verb} acts on a {verb.Kind}, not '{target.Kind}'");
        }
        else
        {
            CheckTarget(target, after, context);
        }

        ValidateParameters(spec.Verb, verb.Parameters, spec.Parameters, after, context);
    }

    private static void CheckTarget(ObjectReference target, ClusterSnapshot after, ValidationContext context)
    {
        const string field = "spec.target.name";
        switch (target.Kind)
        {
            case "Cluster":
                if (after.Cluster is null || !string.Equals(after.Cluster.Metadata.Name, target.Name, StringComparison.OrdinalIgnoreCase))
                {
                    context.Add(field, "unknown-reference", $"{field} must name this cluster");
                }

                break;
            case "Server":
                context.Reference(target.Name, after.Servers, "Server", field);
                break;
            case "Group":
                context.Reference(target.Name, after.Groups, "Group", field);
                break;
            case "Resource":
                context.Reference(target.Name, after.Resources, "Resource", field);
                break;
            case "Monitor":
                context.Reference(target.Name, after.Monitors, "Monitor", field);
                break;
        }
    }

    private static void ValidateParameters(OperationVerb verb, string[] allowed, JsonObject? parameters, ClusterSnapshot after, ValidationContext context)
    {
        if (parameters is null)
        {
            if (verb == OperationVerb.TimeoutRatioSet)
            {
                context.Add("spec.parameters.ratio", "required", "spec.parameters.ratio is required for TimeoutRatioSet");
            }

            return;
        }

        foreach (var (key, value) in parameters)
        {
            var field = $"spec.parameters.{key}";
            if (!allowed.Contains(key))
            {
                context.Add(field, "unknown-parameter",
                    $"{field} is not a parameter of {verb}" + (allowed.Length > 0 ? $" (allowed: {string.Join(", ", allowed)})" : " (it takes none)"));
                continue;
            }

            switch (key)
            {
                case "server":
                    var name = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                    if (name is null)
                    {
                        context.Add(field, "type", $"{field} must be a server name");
                    }
                    else
                    {
                        context.Reference(name, after.Servers, "Server", field);
                    }

                    break;
                case "ratio":
                    CheckInteger(value, field, 1, 10_000, context);
                    break;
                case "durationSeconds":
                    CheckInteger(value, field, 1, 31_536_000, context);
                    break;
            }
        }

        if (verb == OperationVerb.TimeoutRatioSet && !parameters.ContainsKey("ratio"))
        {
            context.Add("spec.parameters.ratio", "required", "spec.parameters.ratio is required for TimeoutRatioSet");
        }
    }

    private static void CheckInteger(JsonNode? value, string field, long min, long max, ValidationContext context)
    {
        if (value is JsonValue v && v.TryGetValue<long>(out var n))
        {
            context.Range(n, min, max, field);
        }
        else
        {
            context.Add(field, "type", $"{field} must be an integer");
        }
    }
}
