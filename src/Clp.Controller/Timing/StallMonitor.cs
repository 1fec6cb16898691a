using Clp.Policy.Time;
using Microsoft.Extensions.Logging;

namespace Clp.Controller.Timing;

/// <summary>Detects a stall of the controller's own process (GC pause, starvation, SIGSTOP) from the
/// lateness of a periodic timer (STYLE 10, 16): a stalled controller did not receive renewals sent
/// meanwhile, so it must not accuse anyone for that silence.</summary>
/// <remarks>Two checks, because a down timer and the stall timer that were both due during a pause fire
/// in no particular order afterwards: the tick itself reports its lateness, and
/// <see cref="CheckBeforeJudging"/> treats a tick that is overdue at judgement time as a stall too.</remarks>
internal sealed partial class StallMonitor(TimeProvider clock, TimeSpan period, TimeSpan threshold, Action<Instant> onStall, ILogger logger) : IDisposable
{
    private long _lastTickTicks;
    private ITimer? _timer;

    public void Start()
    {
        Interlocked.Exchange(ref _lastTickTicks, Now.Ticks);
        _timer = clock.CreateTimer(_ => Tick(), null, period, period);
    }

    /// <summary>Call before a down judgement: true (and the count restarted) when the stall timer is
    /// overdue, i.e. this process was not running when it should have.</summary>
    public bool CheckBeforeJudging(Instant now)
    {
        var late = now - new Instant(Interlocked.Read(ref _lastTickTicks)) - period;
        if (late <= threshold)
        {
            return false;
        }

        LogStall(late.TotalMilliseconds);
        onStall(now);
        return true;
    }

    public void Dispose() => _timer?.Dispose();

    private void Tick()
    {
        var now = Now;
        var late = now - new Instant(Interlocked.Read(ref _lastTickTicks)) - period;
        if (late > threshold)
        {
            LogStall(late.TotalMilliseconds);
            onStall(now);
        }

        // Only after the stall is recorded: a judgement that sees this tick also sees the stall.
        Interlocked.Exchange(ref _lastTickTicks, now.Ticks);
    }

    private Instant Now => Instant.FromTimestamp(clock.GetTimestamp(), clock.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller stalled for {LateMs} ms beyond its check period: every lease gets a fresh T + M")]
    private partial void LogStall(double lateMs);
}
