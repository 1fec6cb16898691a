using Clp.Drivers.Linux.Shell;

namespace Clp.Drivers.Linux.Resources;

/// <summary>Ends a process group: an optional first signal, a grace period for it to exit, then SIGKILL of
/// every member left (the same escalation as a systemd stop with KillMode=control-group).</summary>
internal static class ProcessGroup
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>How long SIGKILLed processes get to disappear before the stop is declared failed (a process in
    /// uninterruptible sleep, e.g. on a dead disk, can outlive SIGKILL).</summary>
    public static TimeSpan KillWait { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Signals the group (if <paramref name="signal"/> is given), waits up to <paramref name="grace"/>
    /// for its members to exit, then SIGKILLs what remains. A cancellation SIGKILLs the group at once before it
    /// is rethrown.</summary>
    /// <returns>The members still alive after SIGKILL and <see cref="KillWait"/>: empty on success.</returns>
    public static async Task<IReadOnlyList<ProcessStat>> StopAsync(int processGroup, int? signal, TimeSpan grace, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            if (signal is { } s)
            {
                _ = Native.Kill(-processGroup, s);
            }

            if (await WaitEmptyAsync(processGroup, grace, time, cancellationToken))
            {
                return [];
            }

            _ = Native.Kill(-processGroup, Native.SigKill);
            await WaitEmptyAsync(processGroup, KillWait, time, cancellationToken);
            return ProcessTable.GroupMembers(processGroup);
        }
        catch (OperationCanceledException)
        {
            // A fence or the step's timeout: nothing the resource started may outlive the cancelled stop.
            _ = Native.Kill(-processGroup, Native.SigKill);
            throw;
        }
    }

    /// <summary>Waits until the group has no live member; false when <paramref name="limit"/> passes first.</summary>
    public static async Task<bool> WaitEmptyAsync(int processGroup, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        while (true)
        {
            if (ProcessTable.GroupMembers(processGroup).Count == 0)
            {
                return true;
            }

            if (time.GetElapsedTime(start) >= limit)
            {
                return false;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }
}
