using System.Net.Sockets;
using Clp.FenceGuard.Client;
using Clp.FenceGuard.Protocol;
using Clp.Policy.Time;

namespace Clp.Agent.Host.Guard;

/// <summary>The agent's side of the fence guard (DESIGN rule 11): keeps the guard told the latest fence deadline,
/// starting the guard when none answers on its socket, and raises <see cref="GuardReleased"/> when the guard
/// reports it released this incarnation's resources.</summary>
/// <remarks>
/// <para>Level-triggered: <see cref="Arm"/>, <see cref="Disarm"/> and <see cref="ExitAsync"/> only set the desired
/// state; one sender loop sends the latest of it whenever it changed, reconnecting (and starting the guard) as
/// needed. Nothing here blocks the lease keeper: a renewal never waits for the guard. A lost or late arm leaves the
/// guard with an EARLIER deadline, the safe direction.</para>
/// <para>The resource list goes with an arm only when it changed since the last one this connection carried (and
/// always on a new connection), so a steady renewal is one short line.</para>
/// </remarks>
public sealed partial class FenceGuardLink : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly GuardLaunch _launch;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private GuardRequest? _desired;
    private long _version;
    private long _sentVersion;
    private TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FenceGuardClient? _client;
    private IReadOnlyList<GuardGroup>? _groupsOnConnection;
    private long? _reportedFire;
    private Task? _loop;
    private bool _guardAbsentLogged;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FenceGuardLink(GuardLaunch launch, TimeProvider time, ILogger logger)
    {
        _launch = launch;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised (on the sender loop) once per incarnation when the guard reports it released that
    /// incarnation's resources: the agent must not believe they still run.</summary>
    public event Action<GuardFire>? GuardReleased;

    /// <summary>The guard's PID from its last answer, or null before one.</summary>
    public int? GuardPid { get; private set; }

    /// <summary>Starts the sender loop, which first connects to the guard (starting it when none answers).</summary>
    public void Start() => _loop = Task.Run(() => SendLoopAsync(_stop.Token));

    /// <summary>Completes once the first connection attempt ended: the guard answered a status request, or it did not
    /// within its start wait or the request timeout (logged; the loop goes on trying with every arm). The host waits for
    /// it before the agent joins, so the guard's start (a second .NET process) does not compete with the first join and
    /// renewals for the CPU, and the first arm finds a warm guard.</summary>
    /// <remarks>Why a status round trip and not just a connection: a connection is accepted by the guard's listen
    /// backlog before the guard's process has run a single request, so its first request (socket read, JSON, reply)
    /// ran cold, JIT included, on the first ARM, which carries the tightest deadline of an incarnation (the join's send
    /// + T − F, with the join's own round trip already spent). Under load that first arm was processed after its
    /// deadline and the guard released a healthy incarnation (docs/architecture.md "Fence guard"). Status changes
    /// nothing: never warm up with an arm or a disarm, because a restarted agent's guard may still be armed for the
    /// previous incarnation and must keep that deadline.</remarks>
    public Task Ready => _ready.Task;

    /// <summary>After every successful renewal: the guard acts at <paramref name="fenceAt"/> (+ its grace) unless
    /// re-armed or disarmed before.</summary>
    public void Arm(long incarnation, Instant fenceAt, TimeSpan budget, TimeSpan timeout, IReadOnlyList<GuardGroup> groups) =>
        Set(new GuardRequest
        {
            Op = GuardOps.Arm,
            Incarnation = incarnation,
            FenceAtTicks = fenceAt.Ticks,
            BudgetTicks = budget.Ticks,
            TimeoutTicks = timeout.Ticks,
            Groups = groups,
            AgentPid = Environment.ProcessId,
        });

    /// <summary>The agent fenced itself: nothing is left for the guard to release until the next join arms it.</summary>
    public void Disarm(string reason) => Set(new GuardRequest { Op = GuardOps.Disarm, Reason = reason, AgentPid = Environment.ProcessId });

    /// <summary>The agent leaves cleanly: disarm and end the guard; waits (bounded) until the guard answered.</summary>
    public async Task ExitAsync(string reason)
    {
        Task sent;
        lock (_gate)
        {
            Set(new GuardRequest { Op = GuardOps.Exit, Reason = reason, AgentPid = Environment.ProcessId });
            sent = _sent.Task;
        }

        try
        {
            await sent.WaitAsync(RequestTimeout, _time);
        }
        catch (TimeoutException)
        {
            LogExitUnanswered(RequestTimeout.TotalMilliseconds);
        }
    }

    private void Set(GuardRequest request)
    {
        lock (_gate)
        {
            // Exit is final: a renewal racing the leave must not re-arm the guard after it.
            if (_desired?.Op == GuardOps.Exit)
            {
                return;
            }

            _desired = request;
            _version++;
            if (_sent.Task.IsCompleted)
            {
                _sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        _changed.Release();
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            _client ??= await ConnectOrStartAsync(cancellationToken);
            await SendAsync(new GuardRequest { Op = GuardOps.Status, AgentPid = Environment.ProcessId }, cancellationToken);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            // Logged by ConnectOrStartAsync (guard absent) or here; the first arm tries again on a new connection.
            Disconnect();
            LogSendFailed(GuardOps.Status, e.Message);
        }
        finally
        {
            _ready.TrySetResult();
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            await _changed.WaitAsync(cancellationToken);
            while (true)
            {
                GuardRequest request;
                long version;
                lock (_gate)
                {
                    if (_sentVersion == _version || _desired is null)
                    {
                        break;
                    }

                    (request, version) = (_desired, _version);
                }

                try
                {
                    await SendAsync(request, cancellationToken);
                    lock (_gate)
                    {
                        _sentVersion = Math.Max(_sentVersion, version);
                        if (_sentVersion == _version)
                        {
                            _sent.TrySetResult();
                        }
                    }

                    if (request.Op == GuardOps.Exit)
                    {
                        return;
                    }
                }
                catch (Exception e) when (IsTransient(e, cancellationToken))
                {
                    Disconnect();
                    LogSendFailed(request.Op, e.Message);
                    await Task.Delay(RetryDelay, _time, cancellationToken);
                }
            }
        }
    }

    /// <summary>A failure to reach or ask the guard that the next attempt may not meet (not the link stopping).</summary>
    private static bool IsTransient(Exception e, CancellationToken stopping) =>
        e is SocketException or IOException or TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception
            or OperationCanceledException && !stopping.IsCancellationRequested;

    private async Task SendAsync(GuardRequest request, CancellationToken cancellationToken)
    {
        _client ??= await ConnectOrStartAsync(cancellationToken);
        var groups = request.Groups;
        if (request.Op == GuardOps.Arm && groups is not null && _groupsOnConnection is not null && groups.SequenceEqual(_groupsOnConnection, GroupComparer.Instance))
        {
            request = request with { Groups = null };
        }

        using var timeout = new CancellationTokenSource(RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var reply = await _client.SendAsync(request, linked.Token);
        if (!reply.Ok && request.Op == GuardOps.Arm && request.Groups is null)
        {
            // The guard lost the list (a new guard process behind the same socket path): send it again.
            reply = await _client.SendAsync(request with { Groups = groups }, linked.Token);
        }

        if (!reply.Ok)
        {
            throw new InvalidOperationException($"the fence guard refused {request.Op}: {reply.Error}");
        }

        GuardPid = reply.GuardPid;
        if (request.Op == GuardOps.Arm)
        {
            _groupsOnConnection = groups;
            if (reply.LastFire is { } fire && fire.Incarnation == request.Incarnation && _reportedFire != fire.Incarnation)
            {
                _reportedFire = fire.Incarnation;
                LogGuardReleased(fire.Incarnation, fire.LeaseAgeMs);
                GuardReleased?.Invoke(fire);
            }
        }
    }

    private async Task<FenceGuardClient> ConnectOrStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await FenceGuardClient.ConnectAsync(_launch.SocketPath, cancellationToken);
        }
        catch (SocketException)
        {
            // No guard answers: start one (a guard already starting, or holding the lock, makes this one exit 3).
        }

        var pid = _launch.Start();
        LogStarting(pid, _launch.LogPath);
        var started = _time.GetTimestamp();
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
            try
            {
                var client = await FenceGuardClient.ConnectAsync(_launch.SocketPath, cancellationToken);
                _guardAbsentLogged = false;
                return client;
            }
            catch (SocketException) when (_time.GetElapsedTime(started) < StartWait)
            {
                // Still starting.
            }
            catch (SocketException e)
            {
                if (!_guardAbsentLogged)
                {
                    _guardAbsentLogged = true;
                    LogGuardAbsent(StartWait.TotalSeconds, _launch.LogPath);
                }

                throw new IOException($"the fence guard did not answer on {_launch.SocketPath}: {e.Message}", e);
            }
        }
    }

    private void Disconnect()
    {
        _client?.Dispose();
        _client = null;
        _groupsOnConnection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // Stopping: a request in flight ends cancelled, or with the connection the guard (or a test) closed
                // meanwhile; the loop's retry does not apply once stopping.
            }
        }

        Disconnect();
        _stop.Dispose();
        _changed.Dispose();
    }

    /// <summary>Compares resource lists by value (parameters by their JSON text).</summary>
    private sealed class GroupComparer : IEqualityComparer<GuardGroup>
    {
        public static readonly GroupComparer Instance = new();

        public bool Equals(GuardGroup? x, GuardGroup? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Resources.Count == y.Resources.Count
            && x.Resources.Zip(y.Resources).All(p => p.First.Name == p.Second.Name && p.First.Type == p.Second.Type
                && p.First.StopTimeoutSeconds == p.Second.StopTimeoutSeconds && p.First.Epoch == p.Second.Epoch
                && System.Text.Json.Nodes.JsonNode.DeepEquals(p.First.Parameters, p.Second.Parameters));

        public int GetHashCode(GuardGroup obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting the fence guard (pid {Pid}, log {LogPath})")]
    private partial void LogStarting(int pid, string logPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fence guard {Op} not delivered: {Reason}; retrying")]
    private partial void LogSendFailed(string op, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The fence guard did not answer within {Seconds} s of its start (see {LogPath}): a frozen or crashed agent would leave its resources running until it is fixed")]
    private partial void LogGuardAbsent(double seconds, string logPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fence guard did not answer the exit request within {TimeoutMs} ms")]
    private partial void LogExitUnanswered(double timeoutMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The fence guard released incarnation {Incarnation}'s resources at lease age {AgeMs} ms while this agent could not: fencing and rejoining")]
    private partial void LogGuardReleased(long incarnation, double ageMs);
}
