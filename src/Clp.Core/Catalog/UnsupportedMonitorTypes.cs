using static Clp.Core.Catalog.Param;

namespace Clp.Core.Catalog;

/// <summary>CLUSTERPRO X monitor types CLP cannot run on Linux yet, each with the reason.</summary>
internal static class UnsupportedMonitorTypes
{
    public static IReadOnlyList<CatalogType> All { get; } =
    [
        Watch("cifsw", "CIFS monitor", "cifs", Reasons.WindowsOnly("Windows file sharing (CIFS)")),
        Watch("regsyncw", "Registry synchronization monitor", "regsync", Reasons.WindowsOnly("The Windows registry")),
        Watch("spoolw", "Print spooler monitor", "spool", Reasons.WindowsOnly("The Windows print spooler")),
        Watch("vcomw", "Virtual computer name monitor", "vcom", Reasons.WindowsOnly("NetBIOS virtual computer names")),
        Watch("ddnsw", "Dynamic DNS monitor", "ddns", Reasons.NoDriver("dynamic DNS updates (RFC 2136)")),
        Watch("vipw", "Virtual IP monitor", "vip", Reasons.NoDriver("RIP route advertisement")),
        Watch("vmw", "Virtual machine monitor", "vm", Reasons.NoDriver("hypervisor control")),
        Watch("nasw", "NAS monitor", "nas", Reasons.NoDriver("network file system mounts")),
        Replication("mdw", "Mirror disk monitor", "md", LicenseOptions.Replicator),
        Replication("mdnw", "Mirror connect monitor", "md", LicenseOptions.Replicator),
        Replication("hdw", "Hybrid disk monitor", "hd", LicenseOptions.ReplicatorDr),
        Replication("hdtw", "Hybrid disk TUR monitor", "hd", LicenseOptions.ReplicatorDr),
        Watch("awseipw", "AWS Elastic IP monitor", "awseip", Reasons.Cloud),
        Watch("awsvipw", "AWS virtual IP monitor", "awsvip", Reasons.Cloud),
        Watch("awsdnsw", "AWS DNS monitor", "awsdns", Reasons.Cloud),
        Define.Monitor("awsazw", "AWS AZ monitor", "Checks the health of the server's availability zone.",
            Define.Always, [], unsupported: Reasons.Cloud),
        Watch("azureppw", "Azure probe port monitor", "azurepp", Reasons.Cloud),
        Watch("azurednsw", "Azure DNS monitor", "azuredns", Reasons.Cloud),
        Define.Monitor("azurelbw", "Azure load balance monitor", "Checks that the standby server does not answer the load balancer's probe.",
            Define.Always, [], unsupported: Reasons.Cloud),
        Agent("db2w", "DB2 monitor", "IBM Db2", LicenseOptions.DatabaseAgent),
        Agent("odbcw", "ODBC monitor", "ODBC data sources", LicenseOptions.DatabaseAgent),
        Agent("oraclew", "Oracle monitor", "Oracle Database", LicenseOptions.DatabaseAgent),
        Agent("sqlserverw", "SQL Server monitor", "Microsoft SQL Server", LicenseOptions.DatabaseAgent),
        Internet("ftpw", "FTP monitor", "FTP", 21),
        Internet("imap4w", "IMAP4 monitor", "IMAP4", 143),
        Internet("pop3w", "POP3 monitor", "POP3", 110),
        Internet("smtpw", "SMTP monitor", "SMTP", 25),
        Agent("otxw", "WebOTX monitor", "WebOTX", LicenseOptions.ApplicationServerAgent),
        Agent("tuxw", "Tuxedo monitor", "Oracle Tuxedo", LicenseOptions.ApplicationServerAgent),
        Agent("wasw", "WebSphere monitor", "IBM WebSphere", LicenseOptions.ApplicationServerAgent),
        Agent("wlsw", "WebLogic monitor", "Oracle WebLogic", LicenseOptions.ApplicationServerAgent),
        Define.Monitor("jraw", "JVM monitor", "Watches a Java VM's heap, garbage collection and threads through JMX.",
            Define.AlwaysOrActive, [], unsupported: Reasons.NoDriver("JVM monitoring (JMX)"), license: LicenseOptions.JavaResourceAgent),
        Define.Monitor("psrw", "Process resource monitor", "Watches per-process CPU, memory, handles and threads.",
            Define.Always, [], unsupported: Reasons.NoDriver("per-process resource monitoring"), license: LicenseOptions.SystemResourceAgent),
        Define.Monitor("mtw", "Multi-target monitor", "Goes into error from the states of the monitors it lists.",
            Define.Always, [StringList("monitors", "Names of the monitors combined.", required: true, minItems: 1)],
            unsupported: Reasons.NoDriver("multi-target monitoring")),
    ];

    /// <summary>An active-time monitor of one resource type that shares the resource's reason.</summary>
    private static CatalogType Watch(string type, string displayName, string resourceType, string reason) =>
        Define.Monitor(type, displayName, $"Checks the {resourceType} resource it targets.",
            Define.Active, [], unsupported: reason, targetTypes: [resourceType]);

    private static CatalogType Replication(string type, string displayName, string resourceType, string license) =>
        Define.Monitor(type, displayName, $"Watches the replication state of the {resourceType} resource it targets.",
            Define.Always, [], unsupported: Reasons.MirrorDisk, license: license, targetTypes: [resourceType]);

    private static CatalogType Agent(string type, string displayName, string product, string license) =>
        Define.Monitor(type, displayName, $"Probes {product} while its group is active.",
            Define.Active, [], unsupported: Reasons.NoDriver($"{product} probe"), license: license);

    private static CatalogType Internet(string type, string displayName, string protocol, int port) =>
        Define.Monitor(type, displayName, $"Connects to a {protocol} server and checks its greeting.",
            Define.Active,
            [String("host", "Server host name or address.", required: true), Port("port", $"Server port. Default {port}.", @default: port)],
            unsupported: Reasons.NoDriver($"{protocol} probe"), license: LicenseOptions.InternetServerAgent);
}
