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
}
