using System.Text.Json.Nodes;

namespace Clp.Core.Model;

/// <summary>A group resource (fip, appli, script, disk, ...) of exactly one group.</summary>
public sealed class Resource : ClpObject<ResourceSpec, ResourceStatus>
{
}

public sealed class ResourceSpec
{
    public string? Description { get; set; }

    /// <summary>The group this resource belongs to.</summary>
    public string Group { get; set; } = "";

    /// <summary>A resource type of the type catalog (<c>GET /apis/clp/v1/catalog</c>).</summary>
    public string Type { get; set; } = "";

    /// <summary>Resources of the same group activated before this one (deactivated after it).</summary>
    public List<string> DependsOn { get; set; } = [];

    /// <summary>Seconds allowed for activation. Default 1800 as CLUSTERPRO.</summary>
    public int StartTimeoutSeconds { get; set; } = 1800;

    /// <summary>Seconds allowed for deactivation. Default 1800 as CLUSTERPRO.</summary>
    public int StopTimeoutSeconds { get; set; } = 1800;

    public ActivationRecovery Activation { get; set; } = new();

    public DeactivationRecovery Deactivation { get; set; } = new();

    /// <summary>Type parameters; the type catalog gives the closed schema and defaults.</summary>
    public JsonObject Parameters { get; set; } = [];
}

/// <summary>Computed on read from the Server statuses: the resource's state on each server.</summary>
public sealed class ResourceStatus : ObjectStatus
{
    public Dictionary<string, ObjectStateOnServer>? Servers { get; set; }
}
