namespace Clp.Agent.Host.Configuration;

/// <summary>One setting of clp-agent: its configuration key (the JSON file's property name), its command-line
/// option and its environment variable. <see cref="All"/> is the one table the reader, the validation messages
/// and <c>--help</c> are made from.</summary>
public sealed record AgentSetting(string Key, string? Option, string EnvironmentVariable, string Description)
{
    public static readonly AgentSetting Config = new("Config", "--config", "CLP_AGENT_CONFIG", "optional JSON file of these settings (property names: apiUrl, cluster, server, agentKeyFile, ...); options and environment variables win over it");
    public static readonly AgentSetting ApiUrl = new("ApiUrl", "--api-url", "CLP_API_URL", "clp-api's base URL, e.g. http://10.0.0.5:29009 (required)");
    public static readonly AgentSetting Cluster = new("Cluster", "--cluster", "CLP_CLUSTER", "the cluster this server belongs to (required)");
    public static readonly AgentSetting Server = new("Server", "--server", "CLP_SERVER", "this server's name (its Server object); default: the host name");
    public static readonly AgentSetting AgentKey = new("AgentKey", null, "CLP_AGENT_KEY", "the server's agent API key (no command-line option: ps would show it)");
    public static readonly AgentSetting AgentKeyFile = new("AgentKeyFile", "--key-file", "CLP_AGENT_KEY_FILE", "a file holding the agent API key; refused when others may read it (chmod 600)");
    public static readonly AgentSetting StateDirectory = new("StateDir", "--state-dir", "CLP_STATE_DIR", "state folder of this server's agent (lock, driver state), created 0700; default /var/lib/clp-agent/<server>");
    public static readonly AgentSetting SystemActions = new("SystemActions", "--system-actions", "CLP_SYSTEM_ACTIONS", "'linux' (default: real shutdown, reboot, power off; acts only as root) or 'test-host' (TEST SEAM for system tests, see below)");
    public static readonly AgentSetting TestHostPowerFile = new("TestHostPowerFile", "--test-host-power-file", "CLP_TEST_HOST_POWER_FILE", "test-host only: the file each system action is appended to as '<action> <reason>'; while it is set, 'linux' is refused");

    public static readonly AgentSetting FenceGuard = new("FenceGuard", "--fence-guard", "CLP_FENCE_GUARD", "'on' (default) or 'off': run this server's fence guard (clp-fence-guard), which releases the resources at the lease deadline if this agent freezes or dies");

    public static IReadOnlyList<AgentSetting> All { get; } = [Config, ApiUrl, Cluster, Server, AgentKey, AgentKeyFile, StateDirectory, SystemActions, TestHostPowerFile, FenceGuard];

    /// <summary>How a message names the setting: its option and environment variable.</summary>
    public string Names => Option is null ? EnvironmentVariable : $"{Option} or {EnvironmentVariable}";
}
