using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Rules of the small kinds: License, Event, Lease, ApiKey.</summary>
internal static class OtherRules
{
    public static readonly string[] Products =
    [
        "Base", "Replicator", "ReplicatorDr", "DatabaseAgent", "InternetServerAgent", "ApplicationServerAgent",
        "JavaResourceAgent", "SystemResourceAgent", "AlertService",
    ];

    public static void Validate(License license, ClusterSnapshot after, ValidationContext context)
    {
        var spec = license.Spec;
        if (!Products.Contains(spec.Product))
        {
            context.Add("spec.product", "enum", $"spec.product '{spec.Product}' is not one of {string.Join(", ", Products)}");
        }

        if (string.IsNullOrWhiteSpace(spec.Key))
        {
            context.Add("spec.key", "required", "spec.key is required");
        }

        context.MaxLength(spec.Key, 256, "spec.key");
        context.MaxLength(spec.SerialNumber, 128, "spec.serialNumber");
        context.Range(spec.Count, 1, 100_000, "spec.count");
        if (spec.DurationDays is { } days)
        {
            context.Range(days, 1, 36_500, "spec.durationDays");
        }

        if (spec.Kind == LicenseKind.Node)
        {
            context.Reference(spec.Server, after.Servers, "Server", "spec.server");
        }
        else if (spec.Server is not null)
        {
            context.Add("spec.server", "not-allowed", "spec.server is only for Node licenses");
        }
    }

    public static void Validate(Event evt, ValidationContext context)
    {
        var spec = evt.Spec;
        if (string.IsNullOrEmpty(spec.Module))
        {
            context.Add("spec.module", "required", "spec.module is required");
        }

        context.MaxLength(spec.Module, 32, "spec.module");
        if (string.IsNullOrEmpty(spec.Message))
        {
            context.Add("spec.message", "required", "spec.message is required");
        }

        context.MaxLength(spec.Message, 4096, "spec.message");
        context.Range(spec.EventId, 0, 1_000_000, "spec.eventId");
        if (spec.Object is not null)
        {
            if (Kinds.ByName(spec.Object.Kind) is null)
            {
                context.Add("spec.object.kind", "enum", $"spec.object.kind '{spec.Object.Kind}' is not a kind");
            }

            context.Name(spec.Object.Name, "spec.object.name");
        }

        if (spec.Server is not null)
        {
            context.Name(spec.Server, "spec.server");
        }
    }

    public static void Validate(Lease lease, ClusterSnapshot after, ValidationContext context)
    {
        var spec = lease.Spec;
        if (context.Reference(spec.Holder, after.Servers, "Server", "spec.holder")
            && !string.Equals(spec.Holder, lease.Metadata.Name, StringComparison.OrdinalIgnoreCase))
        {
            context.Add("spec.holder", "lease-holder", "a node lease is named after its server: spec.holder must equal metadata.name");
        }

        context.Min(spec.Incarnation, 0, "spec.incarnation");
        context.Range(spec.TimeoutMs, 300, 3_600_000, "spec.timeoutMs");
    }

    public static void Validate(ApiKey apiKey, ClusterSnapshot after, ValidationContext context)
    {
        var spec = apiKey.Spec;
        context.MaxLength(spec.Description, 1024, "spec.description");
        if (spec.Role == ApiKeyRole.Agent)
        {
            context.Reference(spec.Server, after.Servers, "Server", "spec.server");
        }
        else if (spec.Server is not null)
        {
            context.Add("spec.server", "not-allowed", "spec.server is only for Agent keys");
        }
    }
}
