namespace Clp.Agent.Host.Configuration;

/// <summary>clp-agent's validated settings (see <see cref="AgentSetting"/> for where each comes from).</summary>
public sealed class AgentHostOptions
{
    public required Uri ApiUrl { get; init; }

    public required string Cluster { get; init; }

    /// <value>Default: the host name.</value>
    public required string Server { get; init; }

    /// <summary>The agent API key, from the key file or the environment.</summary>
    public required string AgentKey { get; init; }

    /// <summary>Exists and is 0700 when created by clp-agent.</summary>
    /// <value>Default <c>/var/lib/clp-agent/&lt;server&gt;</c>.</value>
    public required string StateDirectory { get; init; }

    /// <value>Default <see cref="SystemActionsKind.Linux"/>.</value>
    public SystemActionsKind SystemActions { get; init; } = SystemActionsKind.Linux;

    /// <summary>Set only with <see cref="SystemActionsKind.TestHost"/>.</summary>
    public string? TestHostPowerFile { get; init; }

    /// <summary>Whether the agent runs (or connects to) this server's fence guard (DESIGN rule 11).</summary>
    /// <value>Default true: clp-agent always runs the real Linux drivers.</value>
    public bool FenceGuard { get; init; } = true;

    /// <summary>The lock file in <see cref="StateDirectory"/> that makes this the one agent of its server.</summary>
    public string LockFile => Path.Combine(StateDirectory, "agent.lock");
}
