using System.Diagnostics;
using Clp.Agent.Host.Locking;
using Clp.Core.Drivers;

namespace Clp.Agent.Host.TestSeams;

/// <summary>TEST SEAM for system tests ("test-host power", <c>--system-actions test-host</c>): never touches
/// the machine. Each action appends one line <c>&lt;action&gt; &lt;reason&gt;</c> to the power file; stopping
/// the cluster service stops the agent as in production, and shutdown, reboot and power off end the agent
/// process at once (no shutdown code, as a power cut would) with <see cref="ExitCodes.TestHostShutdown"/>,
/// <see cref="ExitCodes.TestHostReboot"/> or <see cref="ExitCodes.TestHostPowerOff"/>, so the harness can
/// kill the server's namespace (shutdown, power off) or kill it and start the agent again (reboot).</summary>
public sealed partial class TestHostPowerActions(string powerFile, Action<string> stopClusterService, ILogger<TestHostPowerActions> logger) : ISystemActions
{
    public Task StopClusterServiceAsync(string reason, CancellationToken cancellationToken)
    {
        Record("stop-cluster-service", reason);
        stopClusterService(reason);
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(string reason, CancellationToken cancellationToken) => Exit("shutdown", reason, ExitCodes.TestHostShutdown);

    public Task RebootAsync(string reason, CancellationToken cancellationToken) => Exit("reboot", reason, ExitCodes.TestHostReboot);

    public Task PowerOffAsync(string reason, CancellationToken cancellationToken) => Exit("poweroff", reason, ExitCodes.TestHostPowerOff);

    private Task Exit(string action, string reason, int exitCode)
    {
        Record(action, reason);
        LogExiting(action, exitCode);
        Libc.Exit(exitCode);
        throw new UnreachableException();
    }

    /// <summary>Appends the line and flushes it to disk before anything else happens (the harness reads it
    /// after the process is gone).</summary>
    private void Record(string action, string reason)
    {
        LogAction(action, reason, powerFile);
        Clp.Drivers.Linux.SystemActions.TestHostPowerFile.Append(powerFile, action, reason);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "TEST-HOST POWER: system action {Action} ({Reason}) recorded in {PowerFile}; the machine is not touched")]
    private partial void LogAction(string action, string reason, string powerFile);

    [LoggerMessage(Level = LogLevel.Critical, Message = "TEST-HOST POWER: {Action}: the agent process ends now with exit code {ExitCode}")]
    private partial void LogExiting(string action, int exitCode);
}
