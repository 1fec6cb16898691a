using Clp.Core.Catalog;
using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Complete, early validation of one object against the rest of its cluster: shape, syntax,
/// references, cycles and per-type parameters. Every problem is reported with its field path.</summary>
public sealed class ObjectValidator(TypeCatalog catalog)
{
    public TypeCatalog Catalog { get; } = catalog;

    /// <summary>Validates <paramref name="candidate"/> as it would be stored, against
    /// <paramref name="snapshot"/> (the cluster's other objects as stored).</summary>
    public IReadOnlyList<ValidationError> Validate(ClpObject candidate, ClusterSnapshot snapshot)
    {
        var context = new ValidationContext();
        context.Name(candidate.Metadata.Name, "metadata.name");
        ValidateLabels(candidate.Metadata.Labels, context);
        var after = snapshot.With(candidate);
        switch (candidate)
        {
            case Cluster cluster:
                ClusterRules.Validate(cluster, after, context);
                break;
            case Server server:
                ServerRules.Validate(server, after, context);
                break;
            case ServerGroup serverGroup:
                ServerGroupRules.Validate(serverGroup, after, context);
                break;
            case Group group:
                GroupRules.Validate(group, after, Catalog, context);
                break;
            case Resource resource:
                ResourceRules.Validate(resource, after, Catalog, context);
                break;
            case Monitor monitor:
                MonitorRules.Validate(monitor, after, Catalog, context);
                break;
            case License license:
                OtherRules.Validate(license, after, context);
                break;
            case Operation operation:
                OperationRules.Validate(operation, after, context);
                break;
            case Event evt:
                OtherRules.Validate(evt, context);
                break;
            case Lease lease:
                OtherRules.Validate(lease, after, context);
                break;
            case ApiKey apiKey:
                OtherRules.Validate(apiKey, after, context);
                break;
            default:
                throw new ArgumentException($"No rules for {candidate.GetType().Name}", nameof(candidate));
        }

        CapabilityRules.Validate(candidate, snapshot, after, context);

        return context.Errors;
    }

    private static void ValidateLabels(Dictionary<string, string>? labels, ValidationContext context)
    {
        if (labels is null)
        {
            return;
        }

        if (labels.Count > 64)
        {
            context.Add("metadata.labels", "max-items", "metadata.labels holds more than 64 labels");
        }

        foreach (var (key, value) in labels)
        {
            if (!LabelSelector.IsValidKey(key))
            {
                context.Add($"metadata.labels.{key}", "label-key",
                    "label keys are 1-63 letters, digits, '-', '_', '.' or '/', starting and ending with a letter or digit");
            }

            if (value is null || !LabelSelector.IsValidValue(value))
            {
                context.Add($"metadata.labels.{key}", "label-value",
                    "label values are 0-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            }
        }
    }
}
