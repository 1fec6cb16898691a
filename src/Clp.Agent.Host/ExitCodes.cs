namespace Clp.Agent.Host;

/// <summary>clp-agent's exit codes (printed by <c>--help</c>; system tests rely on the test-host ones).</summary>
public static class ExitCodes
{
    /// <summary>Stopped: on SIGTERM/SIGINT after releasing its groups, or after --help/--version.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected error ended the process.</summary>
    public const int Failed = 1;

    /// <summary>A setting is missing or invalid; nothing was started.</summary>
    public const int Configuration = 2;

    /// <summary>Another clp-agent holds this server's state-directory lock.</summary>
    public const int AlreadyRunning = 3;

    /// <summary>Stopped by the isolation action StopClusterService: the server was cut off, fenced, and the agent
    /// left without joining again. A supervisor must not restart it on this code (systemd:
    /// <c>RestartPreventExitStatus=4</c>); an operator starts it again once the server's networks are back.</summary>
    public const int StoppedIsolated = 4;

    /// <summary>TEST-HOST POWER only: the agent asked for a shutdown; the harness treats the server as dead.</summary>
    public const int TestHostShutdown = 70;

    /// <summary>TEST-HOST POWER only: the agent asked for a reboot; the harness kills the server, then starts its agent again.</summary>
    public const int TestHostReboot = 71;

    /// <summary>TEST-HOST POWER only: the agent powered off (the fence's escalation); the harness kills the server.</summary>
    public const int TestHostPowerOff = 72;
}
