using System.Collections.Concurrent;
using System.Collections.Specialized;
using Quartz;
using Quartz.Impl;

namespace Clp.Agent.Monitoring;

/// <summary>Runs each monitor on its interval as a Quartz.NET job: a thin adapter whose job only calls the
/// monitor's run delegate (the logic is in <see cref="MonitorRunner"/>). A monitor never overlaps itself
/// (<c>DisallowConcurrentExecution</c>); a run that overshoots its interval delays the next one instead.</summary>
/// <remarks>Quartz runs on real time (its own clock); tests of this adapter use short intervals and bounded waits.
/// Quartz logs through the host's <see cref="ILoggerFactory"/> when one is given: without it, Quartz's LibLog
/// finds Serilog by reflection and compiles expression trees for it, loading System.Linq.Expressions (about
/// 2 MB of each agent's memory) for nothing.</remarks>
public sealed class MonitorScheduler : IAsyncDisposable
{
    internal const string RegistryKey = "clp.monitor-runs";
    private const string JobGroup = "monitors";
    private readonly IScheduler _scheduler;
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> _runs;

    private MonitorScheduler(IScheduler scheduler, ConcurrentDictionary<string, Func<CancellationToken, Task>> runs)
    {
        _scheduler = scheduler;
        _runs = runs;
    }

    /// <summary>The monitors scheduled now.</summary>
    public IReadOnlyCollection<string> Scheduled => [.. _runs.Keys];

    public static async Task<MonitorScheduler> StartAsync(int maxConcurrency = 8, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        if (loggers is not null)
        {
            // Process-wide in Quartz; every scheduler of a process logs through the same host.
            Quartz.Logging.LogContext.SetCurrentLogProvider(loggers);
        }

        var properties = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = $"clp-monitors-{Guid.NewGuid():N}",
            ["quartz.threadPool.maxConcurrency"] = maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["quartz.jobStore.type"] = "Quartz.Simpl.RAMJobStore, Quartz",
        };
        var scheduler = await new StdSchedulerFactory(properties).GetScheduler(cancellationToken);
        var runs = new ConcurrentDictionary<string, Func<CancellationToken, Task>>(StringComparer.OrdinalIgnoreCase);
        scheduler.Context[RegistryKey] = runs;
        await scheduler.Start(cancellationToken);
        return new MonitorScheduler(scheduler, runs);
    }

    /// <summary>Schedules (or reschedules) <paramref name="monitor"/> every <paramref name="interval"/>, first run now.</summary>
    public async Task ScheduleAsync(string monitor, TimeSpan interval, Func<CancellationToken, Task> run, CancellationToken cancellationToken = default)
    {
        var key = new JobKey(monitor.ToLowerInvariant(), JobGroup);
        await _scheduler.DeleteJob(key, cancellationToken);
        _runs[monitor] = run;
        var job = JobBuilder.Create<MonitorJob>().WithIdentity(key).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key.Name, JobGroup)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
            .Build();
        await _scheduler.ScheduleJob(job, trigger, cancellationToken);
    }

    public async Task UnscheduleAsync(string monitor, CancellationToken cancellationToken = default)
    {
        await _scheduler.DeleteJob(new JobKey(monitor.ToLowerInvariant(), JobGroup), cancellationToken);
        _runs.TryRemove(monitor, out _);
    }

    public async ValueTask DisposeAsync() => await _scheduler.Shutdown(waitForJobsToComplete: false);

    /// <summary>The Quartz job: looks the monitor's run up and calls it.</summary>
    [DisallowConcurrentExecution]
    internal sealed class MonitorJob : IJob
    {
        public async Task Execute(IJobExecutionContext context)
        {
            var runs = (ConcurrentDictionary<string, Func<CancellationToken, Task>>)context.Scheduler.Context[RegistryKey];
            var name = runs.Keys.FirstOrDefault(k => string.Equals(k, context.JobDetail.Key.Name, StringComparison.OrdinalIgnoreCase));
            if (name is not null && runs.TryGetValue(name, out var run))
            {
                await run(context.CancellationToken);
            }
        }
    }
}
