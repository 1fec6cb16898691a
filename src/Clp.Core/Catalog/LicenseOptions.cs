namespace Clp.Core.Catalog;

/// <summary>The option products that unlock catalog types (<see cref="CatalogType.LicenseOption"/>, and the
/// <c>product</c> of a License besides <see cref="Base"/>).</summary>
/// <remarks>Alert Service unlocks alert delivery (mail, SNMP traps, warning light), not a monitor type:
/// mrw, which receives messages from outside, belongs to the base product as in CLUSTERPRO.</remarks>
public static class LicenseOptions
{
    public const string Base = "Base";
    public const string Replicator = "Replicator";
    public const string ReplicatorDr = "ReplicatorDr";
    public const string DatabaseAgent = "DatabaseAgent";
    public const string InternetServerAgent = "InternetServerAgent";
    public const string ApplicationServerAgent = "ApplicationServerAgent";
    public const string JavaResourceAgent = "JavaResourceAgent";
    public const string SystemResourceAgent = "SystemResourceAgent";
    public const string AlertService = "AlertService";

    /// <summary>Every option name (without <see cref="Base"/>).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Replicator, ReplicatorDr, DatabaseAgent, InternetServerAgent, ApplicationServerAgent,
        JavaResourceAgent, SystemResourceAgent, AlertService,
    ];
}
