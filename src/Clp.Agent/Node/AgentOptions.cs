namespace Clp.Agent.Node;

/// <summary>Who this agent is and how often it re-checks without a change.</summary>
public sealed class AgentOptions
{
    /// <summary>The cluster this server belongs to.</summary>
    public string Cluster { get; set; } = "";

    /// <summary>This server's name (its Server object and its lease).</summary>
    public string Server { get; set; } = "";

    /// <summary>A full reconcile runs at least this often even when nothing changed (level-triggered safety net).</summary>
    /// <value>Default 5 s.</value>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before retrying a reconcile that was deferred or failed; doubles up to 5 s.</summary>
    /// <value>Default 200 ms.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Resource types this server cannot run, by catalog type name, with the reason (e.g.
    /// <c>service</c> -> "service resources need systemd as PID 1; this server runs tini"). The agent reports
    /// them in its Server's <c>status.capabilities.unsupportedTypes</c>, and the API then refuses such
    /// resources in groups that may run here. The host fills it from its platform checks.</summary>
    /// <value>Default empty: nothing reported unsupported.</value>
    public IReadOnlyDictionary<string, string> UnsupportedTypes { get; set; } = new Dictionary<string, string>();
}

/// <summary>What an agent needs for LAN heartbeats and NP resolution: the datagram transport, the
/// restriction checks its host can run (Ping, Http), and the NP media it can open (Disk heartbeat areas,
/// Com serial lines; none by default: a resolver without a medium here fails its check on this server).</summary>
public sealed record AgentNetwork(
    Heartbeats.IHeartbeatTransport Transport,
    IReadOnlyDictionary<Clp.Core.Model.NpResolverType, Partitions.NpCheck> Checks,
    IReadOnlyDictionary<Clp.Core.Model.NpResolverType, Clp.Core.Drivers.NpMediumFactory>? Media = null);
