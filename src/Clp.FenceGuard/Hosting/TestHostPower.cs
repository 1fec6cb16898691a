using System.Diagnostics;
using System.Runtime.InteropServices;
using Clp.Core.Drivers;

namespace Clp.FenceGuard.Hosting;

/// <summary>TEST SEAM for system tests, the guard's twin of clp-agent's test-host power: never touches the machine.
/// Each action appends <c>&lt;action&gt; fence-guard: &lt;reason&gt;</c> to the server's power file (the same file as
/// its agent's; the harness watches it for the guard's lines, since the guard is not its child), and power off ends
/// the guard at once with exit code 72, as a power cut would.</summary>
public sealed partial class TestHostPower(string powerFile, ILogger logger) : ISystemActions
{
    public const int PowerOffExitCode = 72;

    public Task StopClusterServiceAsync(string reason, CancellationToken cancellationToken) => Record("stop-cluster-service", reason);

    public Task ShutdownAsync(string reason, CancellationToken cancellationToken) => PowerOffAsync(reason, cancellationToken);

    public Task RebootAsync(string reason, CancellationToken cancellationToken) => PowerOffAsync(reason, cancellationToken);

    public async Task PowerOffAsync(string reason, CancellationToken cancellationToken)
    {
        await Record("poweroff", reason);
        LogExiting(PowerOffExitCode);
        Exit(PowerOffExitCode);
        throw new UnreachableException();
    }

    private Task Record(string action, string reason)
    {
        LogAction(action, reason, powerFile);
        Clp.Drivers.Linux.SystemActions.TestHostPowerFile.Append(powerFile, action, "fence-guard: " + reason);
        return Task.CompletedTask;
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int status);

    [LoggerMessage(Level = LogLevel.Critical, Message = "TEST-HOST POWER: system action {Action} ({Reason}) recorded in {PowerFile}; the machine is not touched")]
    private partial void LogAction(string action, string reason, string powerFile);

    [LoggerMessage(Level = LogLevel.Critical, Message = "TEST-HOST POWER: the fence guard ends now with exit code {ExitCode}")]
    private partial void LogExiting(int exitCode);
}
