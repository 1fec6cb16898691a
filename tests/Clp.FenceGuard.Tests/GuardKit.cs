using System.Text.Json.Nodes;
using System.Threading.Channels;
using Clp.Core.Drivers;
using Clp.FenceGuard.Guarding;
using Clp.FenceGuard.Protocol;
using Clp.Policy.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.FenceGuard.Tests;

/// <summary>A <see cref="DeadlineGuard"/> over a fake clock and a fake driver whose "world" is a set of active
/// resources; outcomes (releases, power offs) arrive on channels.</summary>
internal sealed class GuardKit : IAsyncDisposable
{
    public FakeTimeProvider Time { get; } = new();

    public FakeDriver Driver { get; }

    public Channel<GuardFire> Fires { get; } = Channel.CreateUnbounded<GuardFire>();

    public Channel<string> PowerOffs { get; } = Channel.CreateUnbounded<string>();

    public DeadlineGuard Guard { get; }

    /// <summary>What the release logged ("Released g2/app2 (deactivated)"): written once a resource is counted.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Logged { get; } = new();

    public GuardKit()
    {
        Driver = new FakeDriver(Time);
        var release = new ServerRelease("c1", "s1", new Dictionary<string, IResourceDriver> { ["fake"] = Driver }, Time, new RecordingLogger(Logged));
        Guard = new DeadlineGuard(release, new RecordingPower(PowerOffs), Time, NullLogger.Instance);
        Guard.Fired += f => Fires.Writer.TryWrite(f);
    }

    public Instant Now => Instant.FromTimestamp(Time.GetTimestamp(), Time.TimestampFrequency);

    /// <summary>Advances the fake clock to exactly <paramref name="instant"/>.</summary>
    public void AdvanceTo(Instant instant) => Time.Advance(instant - Now);

    public static GuardResource Resource(string name, int stopTimeoutSeconds = 60) =>
        new() { Name = name, Type = "fake", Parameters = new JsonObject(), StopTimeoutSeconds = stopTimeoutSeconds };

    public static GuardGroup Group(string name, params GuardResource[] resources) => new() { Name = name, Resources = resources };

    public static async Task<T> NextAsync<T>(Channel<T> channel, string what)
    {
        try
        {
            return await channel.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
        }
    }

    /// <summary>Waits (real time, bounded) until the guard's asynchronous release reached a state: the fake clock
    /// does not move meanwhile, so a test advances it only once the work it depends on has run.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var bound = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (bound.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            }

            await Task.Delay(5);
        }
    }

    public ValueTask DisposeAsync() => Guard.DisposeAsync();

    /// <summary>Resources are active while in <see cref="Active"/>; names in <see cref="Hung"/> never finish
    /// deactivating (until cancelled), names in <see cref="Failing"/> throw and stay active.</summary>
    internal sealed class FakeDriver(TimeProvider time) : IResourceDriver
    {
        public HashSet<string> Active { get; } = [];

        public bool IsActive(string name)
        {
            lock (Active)
            {
                return Active.Contains(name);
            }
        }

        public bool Started(string name)
        {
            lock (Order)
            {
                return Order.Contains(name);
            }
        }

        public HashSet<string> Hung { get; } = [];

        public HashSet<string> Failing { get; } = [];

        public List<string> Order { get; } = [];

        public string Type => "fake";

        public Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

        public async Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken)
        {
            lock (Order)
            {
                Order.Add(context.Resource);
            }

            if (Hung.Contains(context.Resource))
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
            }

            if (Failing.Contains(context.Resource))
            {
                throw new DriverException($"{context.Resource} refuses to stop");
            }

            lock (Active)
            {
                Active.Remove(context.Resource);
            }
        }

        public Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
        {
            lock (Active)
            {
                return Task.FromResult(Active.Contains(context.Resource) ? ProbeResult.Ok("active") : ProbeResult.Failed("inactive"));
            }
        }
    }

    private sealed class RecordingLogger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }

    private sealed class RecordingPower(Channel<string> powerOffs) : ISystemActions
    {
        public Task StopClusterServiceAsync(string reason, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ShutdownAsync(string reason, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RebootAsync(string reason, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task PowerOffAsync(string reason, CancellationToken cancellationToken)
        {
            powerOffs.Writer.TryWrite(reason);
            return Task.CompletedTask;
        }
    }
}
