using Clp.Core.Drivers;
using Clp.Drivers.Linux.Shell;
using Microsoft.Extensions.Logging;

// Not "Clp.Drivers.Linux.System": a namespace named System inside this assembly would hide the BCL's System
// namespace from every qualified name (System.IO..., System.Text...) in the other folders.
namespace Clp.Drivers.Linux.SystemActions;

/// <summary>The real system-actions port on Linux (production only): stop the cluster service by asking the
/// agent's host to stop, shut down and reboot through systemd (else <c>shutdown</c>), and power off at once
/// through <c>systemctl poweroff --force --force</c>, else the kernel's magic SysRq key ('o').</summary>
/// <remarks>It acts only when the process runs as root (euid 0), the way a production agent runs: a developer's
/// or a test's non-root agent can never shut down, reboot or power off the machine it runs on (desktop polkit
/// rules would otherwise let a logged-in user's <c>systemctl poweroff</c> through); it logs the refusal and throws
/// <see cref="DriverException"/>. System tests use clp-agent's test-host power instead
/// (<c>--system-actions test-host</c>). Failure mode operators must know: when every command fails and SysRq
/// is unavailable, the power off throws and the fence cannot guarantee release by lease age T.</remarks>
public sealed partial class LinuxSystemActions : ISystemActions
{
    private readonly Action<string> _stopClusterService;
    private readonly TimeProvider _time;
    private readonly ILogger<LinuxSystemActions> _logger;
    private readonly Func<bool> _isRoot;

    /// <param name="stopClusterService">Asks the agent's host to stop (its graceful stop releases the groups
    /// first); must return without waiting for the stop.</param>
    /// <param name="isRoot">Whether this process may act on the machine; default: euid is 0.</param>
    public LinuxSystemActions(Action<string> stopClusterService, TimeProvider time, ILogger<LinuxSystemActions> logger, Func<bool>? isRoot = null)
    {
        _stopClusterService = stopClusterService;
        _time = time;
        _logger = logger;
        _isRoot = isRoot ?? (() => Native.GetEffectiveUserId() == 0);
    }

    /// <summary>How long each command may take before the next way is tried.</summary>
    /// <value>10 s.</value>
    public static TimeSpan CommandTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The kernel's SysRq trigger: writing 'o' powers the machine off without syncing or unmounting.</summary>
    public const string SysRqTrigger = "/proc/sysrq-trigger";

    public Task StopClusterServiceAsync(string reason, CancellationToken cancellationToken)
    {
        LogAction("stop-cluster-service", reason);
        _stopClusterService(reason);
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(string reason, CancellationToken cancellationToken) =>
        RunFirstAsync("shutdown", reason, [("systemctl", ["poweroff"]), ("shutdown", ["-h", "now"])], cancellationToken);

    public Task RebootAsync(string reason, CancellationToken cancellationToken) =>
        RunFirstAsync("reboot", reason, [("systemctl", ["reboot"]), ("shutdown", ["-r", "now"])], cancellationToken);

    public async Task PowerOffAsync(string reason, CancellationToken cancellationToken)
    {
        try
        {
            await RunFirstAsync("poweroff", reason, [("systemctl", ["poweroff", "--force", "--force"])], cancellationToken);
        }
        catch (DriverException e) when (_isRoot())
        {
            // systemd is absent, hung or refused: the kernel powers off without asking anyone.
            LogFallingBack("poweroff", e.Message, SysRqTrigger);
            try
            {
                await File.WriteAllTextAsync(SysRqTrigger, "o", cancellationToken);
            }
            catch (Exception sysrq) when (sysrq is IOException or UnauthorizedAccessException)
            {
                throw new DriverException($"power off failed: {e.Message}; {SysRqTrigger}: {sysrq.Message}");
            }
        }
    }

    /// <summary>Runs the first of <paramref name="ways"/> that succeeds within <see cref="CommandTimeout"/>.</summary>
    private async Task RunFirstAsync(string action, string reason, (string File, string[] Arguments)[] ways, CancellationToken cancellationToken)
    {
        if (!_isRoot())
        {
            LogRefused(action, reason);
            throw new DriverException($"{action} refused: clp-agent is not running as root (real system actions act only as root)");
        }

        LogAction(action, reason);
        var errors = new List<string>();
        foreach (var (file, arguments) in ways)
        {
            using var timeout = new CancellationTokenSource(CommandTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var result = await Command.RunAsync(file, arguments, linked.Token);
                if (result.Succeeded)
                {
                    return;
                }

                errors.Add($"{file} {string.Join(' ', arguments)}: exit code {result.ExitCode}: {result.Summary}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{file} {string.Join(' ', arguments)}: no answer within {CommandTimeout.TotalSeconds} s");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                errors.Add($"{file}: {e.Message}");
            }

            LogFallingBack(action, errors[^1], "the next way");
        }

        throw new DriverException($"{action} failed: {string.Join("; ", errors)}");
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "System action {Action}: {Reason}")]
    private partial void LogAction(string action, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "System action {Action} failed ({Error}); trying {Next}")]
    private partial void LogFallingBack(string action, string error, string next);

    [LoggerMessage(Level = LogLevel.Critical, Message = "System action {Action} refused: not running as root ({Reason})")]
    private partial void LogRefused(string action, string reason);
}
