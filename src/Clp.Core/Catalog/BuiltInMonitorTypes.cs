using static Clp.Core.Catalog.Param;

namespace Clp.Core.Catalog;

/// <summary>The monitor types CLP runs on Linux, plus CLP's own tcpw. Unsupported CLUSTERPRO monitor types
/// are in <see cref="UnsupportedMonitorTypes"/>.</summary>
internal static class BuiltInMonitorTypes
{
    public static IReadOnlyList<CatalogType> Supported { get; } =
    [
        Define.Monitor("appliw", "Application monitor",
            "Checks that the process started by a resident appli is still running.",
            Define.Active, [], targetTypes: ["appli"]),
        Define.Monitor("diskw", "Disk RW monitor",
            "Writes sizeBytes to the file at path (and fsyncs it); an I/O error, a full disk or a write that "
            + "outlives the timeout (a stall) is an error.",
            Define.AlwaysOrActive,
            [
                Path("path", "File written by the probe; created if absent.", required: true),
                Integer("sizeBytes", "Bytes written per probe. Default 2000000, as CLUSTERPRO.", 2000000, 512, 1073741824),
                Boolean("fsync", "Flush the write to the device before it counts. Default true.", true),
            ]),
        Define.Monitor("fipw", "Floating IP monitor",
            "Checks that the fip's address is still on its device and the device's link is up.",
            Define.Active, [], targetTypes: ["fip"]),
        Define.Monitor("genw", "Custom monitor",
            "Runs a script (/bin/sh -c); an exit status other than okExitCode, or a run that outlives the timeout, is an error.",
            Define.AlwaysOrActive,
            [
                String("script", "Absolute path of an executable, or inline shell.", required: true),
                Integer("okExitCode", "Exit status that means healthy. Default 0.", 0, 0, 255),
            ]),
        Define.Monitor("httpw", "HTTP monitor",
            "Sends an HTTP request; a transport error or a status other than expectedStatus is an error.",
            Define.AlwaysOrActive,
            [
                Url("url", "http or https URL requested.", required: true),
                Enum("method", "Request method. Default GET.", "GET", "GET", "HEAD"),
                Integer("expectedStatus", "Status code that means healthy. Default 200.", 200, 100, 599),
                Boolean("verifyTls", "Validate the server certificate for https. Default true.", true),
            ],
            license: LicenseOptions.InternetServerAgent),
        Define.Monitor("ipw", "IP monitor",
            "Sends ICMP echo requests to the targets; an error only when none of them answers.",
            Define.Always,
            [IpAddressList("targets", "Addresses pinged, 1-16.", required: true, minItems: 1, maxItems: 16)]),
        Define.Monitor("miiw", "NIC Link Up/Down monitor",
            "Reads the link state of a network device (carrier); link down is an error.",
            Define.Always,
            [String("interface", "Network device, e.g. eth0.", required: true)],
            rules: [ParameterRules.InterfaceName]),
        Define.Monitor("mrw", "Message receive monitor",
            "An external tool reports an error through clp-api by posting an Event to the cluster "
            + "(POST /apis/clp/v1/clusters/{cluster}/events, operator or admin key). Each Event whose spec.module "
            + "equals category and, when keyword is set, whose spec.message contains keyword (both case-insensitive), "
            + "and whose spec.server is absent (every server the monitor runs on) or names the server, posted after "
            + "the monitor started on that server, fails one probe; the next probe is healthy again unless another "
            + "came. With retryCount 0 each such Event runs the recovery as for any monitor error.",
            Define.Always,
            [
                String("category", "Category of the messages this monitor receives: the Event's spec.module (not ctl or agent, CLP's own).", required: true),
                String("keyword", "Only messages whose spec.message contains this keyword; absent: every message of the category."),
            ]),
        Define.Monitor("psqlw", "PostgreSQL monitor",
            "Connects to PostgreSQL and runs query; a connection error, a query error or a timeout is an error.",
            Define.AlwaysOrActive,
            [
                String("host", "Host name, address, or socket directory.", required: true),
                Port("port", "Server port. Default 5432.", @default: 5432),
                String("database", "Database connected to.", required: true),
                String("user", "Role connected as.", required: true),
                Path("passwordFile", "File holding the password; absent: no password (peer or trust authentication)."),
                String("query", "Statement run per probe. Default SELECT 1.", @default: "SELECT 1"),
            ],
            license: LicenseOptions.DatabaseAgent),
        Define.Monitor("psw", "Process name monitor",
            "Counts the processes whose name is processName; fewer than minCount is an error.",
            Define.Always,
            [
                String("processName", "Process name (comm) matched exactly.", required: true),
                Integer("minCount", "Processes that must be running. Default 1.", 1, 1, 10000),
            ]),
        Define.Monitor("sdw", "Disk monitor",
            "Reads the first block of the sd resource's device, bypassing the page cache; an I/O error or a stall is an error.",
            Define.Active, [], targetTypes: ["sd"]),
        Define.Monitor("servicew", "Service monitor",
            "Checks that the service resource's systemd unit is active (systemctl is-active).",
            Define.Active, [], targetTypes: ["service"]),
        Define.Monitor("sraw", "System resource monitor",
            "Averages CPU and memory use, and the use of the file system holding diskPath, over windowSeconds; "
            + "any of them above its threshold is an error.",
            Define.Always,
            [
                Integer("cpuPercent", "CPU use threshold. Default 90.", 90, 1, 100),
                Integer("memoryPercent", "Memory use threshold. Default 90.", 90, 1, 100),
                Integer("diskPercent", "File system use threshold. Default 90.", 90, 1, 100),
                Path("diskPath", "A path on the file system watched. Default /.", @default: "/"),
                Integer("windowSeconds", "Averaging window. Default 60.", 60, 1, 86400),
            ],
            license: LicenseOptions.SystemResourceAgent),
        Define.Monitor("tcpw", "TCP monitor",
            "CLP's own: opens a TCP connection to host:port; a refusal or a timeout is an error.",
            Define.AlwaysOrActive,
            [
                IpAddress("host", "Address connected to.", required: true),
                Port("port", "Port connected to.", required: true),
            ]),
        Define.Monitor("userw", "User-space monitor",
            "Detects stalls of the agent itself. timer: the agent measures how late its own timers fire on the "
            + "monotonic clock, and a lateness above stallThresholdSeconds is an error. none: stalls are recorded as "
            + "events only. There is no softdog or IPMI method: a stalled server is fenced by its lease and the "
            + "fence guard (DESIGN, rules 3 and 11).",
            Define.Always,
            [
                Enum("method", "Detection method. Default timer.", "timer", "timer", "none"),
                Integer("stallThresholdSeconds", "Timer lateness that counts as a stall. Default 10.", 10, 1, 3600),
            ]),
    ];
}
