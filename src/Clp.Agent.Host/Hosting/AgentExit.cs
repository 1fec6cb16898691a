namespace Clp.Agent.Host.Hosting;

/// <summary>The exit code clp-agent ends with once the host has stopped (<see cref="ExitCodes"/>); set by
/// <see cref="AgentHostService"/> while it stops, read by Program after the host ran.</summary>
public sealed class AgentExit
{
    /// <value>Default <see cref="ExitCodes.Ok"/>.</value>
    public int Code { get; set; } = ExitCodes.Ok;
}
