using System.Text.Json.Serialization;

namespace Clp.Core.Model;

/// <summary>The Kubernetes-style envelope every kind shares: identity, desired state written by users,
/// observed state written only by the controller and agents.</summary>
public abstract class ClpObject
{
    [JsonPropertyOrder(-3)]
    public string ApiVersion { get; set; } = ClpApi.Version;

    [JsonPropertyOrder(-2)]
    public string Kind { get; set; } = "";

    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; set; } = new();
}

/// <inheritdoc cref="ClpObject"/>
public abstract class ClpObject<TSpec, TStatus> : ClpObject
    where TSpec : class, new()
    where TStatus : ObjectStatus, new()
{
    public TSpec Spec { get; set; } = new();

    public TStatus? Status { get; set; }
}

/// <summary>Observed state common to every kind.</summary>
public abstract class ObjectStatus
{
    /// <summary>The spec generation this status was computed from.</summary>
    public long? ObservedGeneration { get; set; }

    public List<Condition>? Conditions { get; set; }
}
