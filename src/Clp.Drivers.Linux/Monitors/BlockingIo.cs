using System.Collections.Concurrent;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary>Runs a probe's blocking file or device I/O on a thread of its own, so the probe answers at
/// cancellation even when the I/O is stuck in the kernel (a hung device: D state, not interruptible).</summary>
/// <remarks>While the I/O of one monitor stays stuck, that monitor's next probes fail at once with "still
/// blocked" instead of starting another thread that would hang the same way. Keyed by monitor name, since one
/// probe instance serves every monitor of its type.</remarks>
internal sealed class BlockingIo(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (Task Io, long Since)> _blocked = new(StringComparer.Ordinal);

    /// <summary>Whether an earlier I/O of <paramref name="monitor"/> is still stuck.</summary>
    public bool IsBlocked(string monitor) => _blocked.TryGetValue(monitor, out var entry) && !entry.Io.IsCompleted;

    /// <exception cref="OperationCanceledException">Cancelled before the I/O ended (it goes on in the background).</exception>
    public async Task<ProbeResult> RunAsync(string monitor, string what, Func<CancellationToken, ProbeResult> io, CancellationToken cancellationToken)
    {
        if (_blocked.TryGetValue(monitor, out var previous))
        {
            if (!previous.Io.IsCompleted)
            {
                return ProbeResult.Failed($"{what} stalled: the previous probe's I/O is still blocked after {time.GetElapsedTime(previous.Since).TotalSeconds:F0} s");
            }

            _blocked.TryRemove(monitor, out _);
        }

        var start = time.GetTimestamp();
        var task = Task.Factory.StartNew(() => io(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return await task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (!task.IsCompleted)
            {
                _blocked[monitor] = (task, start);
            }

            throw;
        }
    }
}
