namespace Clp.Drivers.Linux.Partitions;

/// <summary>A medium's own check on this server: passes while the newest exchange completed without an
/// error within its budget, no more than the deadline ago, and no exchange has been running longer than
/// its budget (a stalled write or flush fails the check before it returns). Thread-safe.</summary>
internal sealed class OwnCheck(TimeProvider time, TimeSpan budget)
{
    private readonly Lock _gate = new();
    private long? _lastOk;
    private bool _failing;
    private long? _runningSince;

    /// <summary>An exchange starts; returns its start timestamp.</summary>
    public long Started()
    {
        var start = time.GetTimestamp();
        lock (_gate)
        {
            _runningSince = start;
        }

        return start;
    }

    /// <summary>The exchange that started at <paramref name="start"/> ended (failed: an I/O error).</summary>
    public void Completed(long start, bool failed)
    {
        var end = time.GetTimestamp();
        lock (_gate)
        {
            _runningSince = null;
            _failing = failed || time.GetElapsedTime(start, end) > budget;
            if (!_failing)
            {
                _lastOk = end;
            }
        }
    }

    public bool Passes(TimeSpan deadline)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            return !_failing && _lastOk is { } ok && time.GetElapsedTime(ok, now) <= deadline
                   && (_runningSince is not { } running || time.GetElapsedTime(running, now) <= budget);
        }
    }
}
