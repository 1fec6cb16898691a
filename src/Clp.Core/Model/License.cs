namespace Clp.Core.Model;

/// <summary>A registered license (modelled and stored; gating of types by license comes later).</summary>
public sealed class License : ClpObject<LicenseSpec, LicenseStatus>
{
}

public sealed class LicenseSpec
{
    /// <summary>The product or option the license unlocks: Base or an option name of the type catalog
    /// (Replicator, ReplicatorDr, DatabaseAgent, InternetServerAgent, ApplicationServerAgent,
    /// JavaResourceAgent, SystemResourceAgent, AlertService).</summary>
    public string Product { get; set; } = "Base";

    /// <summary>Per CPU (cluster-wide, registered on the master) or per node.</summary>
    public LicenseKind Kind { get; set; } = LicenseKind.Cpu;

    public string Key { get; set; } = "";

    public string? SerialNumber { get; set; }

    /// <summary>CPUs or nodes covered. Default 1.</summary>
    public int Count { get; set; } = 1;

    /// <summary>For node licenses: the server it is registered for.</summary>
    public string? Server { get; set; }

    /// <summary>Trial licenses stop the cluster when they expire.</summary>
    public bool Trial { get; set; }

    /// <summary>For time-limited licenses: days from registration (activation).</summary>
    public int? DurationDays { get; set; }
}

public enum LicenseKind
{
    Cpu,
    Node,
}

public sealed class LicenseStatus : ObjectStatus
{
    /// <summary>Stocked, Active or Expired.</summary>
    public string? State { get; set; }

    public DateTimeOffset? ActivatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}
