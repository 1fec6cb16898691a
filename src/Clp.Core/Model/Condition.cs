namespace Clp.Core.Model;

/// <summary>One observed aspect of an object, Kubernetes style: <see cref="LastTransitionTime"/> moves
/// only when <see cref="Status"/> changes.</summary>
public sealed class Condition
{
    public string Type { get; set; } = "";

    public ConditionStatus Status { get; set; } = ConditionStatus.Unknown;

    /// <summary>CamelCase machine-readable cause.</summary>
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public long? ObservedGeneration { get; set; }

    public DateTimeOffset? LastTransitionTime { get; set; }
}

public enum ConditionStatus
{
    True,
    False,
    Unknown,
}
