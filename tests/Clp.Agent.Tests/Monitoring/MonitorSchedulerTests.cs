using System.Threading.Channels;
using Clp.Agent.Monitoring;

namespace Clp.Agent.Tests.Monitoring;

/// <summary>The Quartz adapter on real time: short intervals, bounded waits.</summary>
public sealed class MonitorSchedulerTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private MonitorScheduler _scheduler = null!;

    public async Task InitializeAsync() => _scheduler = await MonitorScheduler.StartAsync();

    public async Task DisposeAsync() => await _scheduler.DisposeAsync();

    [Fact]
    public async Task Scheduled_RunsRepeatedly_UntilUnscheduled()
    {
        var runs = Channel.CreateUnbounded<DateTimeOffset>();
        await _scheduler.ScheduleAsync("ipw1", TimeSpan.FromMilliseconds(200), _ => runs.Writer.WriteAsync(DateTimeOffset.UtcNow).AsTask());
        for (var i = 0; i < 3; i++)
        {
            await runs.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        }

        Assert.Equal(["ipw1"], _scheduler.Scheduled);
        await _scheduler.UnscheduleAsync("ipw1");
        Assert.Empty(_scheduler.Scheduled);
        while (runs.Reader.TryRead(out _))
        {
        }

        // After unscheduling no run starts: give it several intervals.
        var late = runs.Reader.ReadAsync().AsTask();
        var winner = await Task.WhenAny(late, Task.Delay(TimeSpan.FromMilliseconds(1000)));
        Assert.NotSame(late, winner);
    }

    [Fact]
    public async Task SlowRun_NeverOverlapsItself()
    {
        var concurrent = 0;
        var maxConcurrent = 0;
        var done = Channel.CreateUnbounded<int>();
        await _scheduler.ScheduleAsync("slow", TimeSpan.FromMilliseconds(50), async ct =>
        {
            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref maxConcurrent, now);
            await Task.Delay(200, ct);
            Interlocked.Decrement(ref concurrent);
            await done.Writer.WriteAsync(now, ct);
        });
        for (var i = 0; i < 3; i++)
        {
            await done.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        }

        Assert.Equal(1, maxConcurrent);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
