namespace Clp.Agent.Host.Configuration;

/// <summary>Which implementation of the system-actions port the agent uses.</summary>
public enum SystemActionsKind
{
    /// <summary>The real machine (production): <c>Clp.Drivers.Linux.SystemActions.LinuxSystemActions</c>.</summary>
    Linux,

    /// <summary>TEST SEAM for system tests: never touches the machine (<c>TestSeams.TestHostPowerActions</c>).</summary>
    TestHost,
}
