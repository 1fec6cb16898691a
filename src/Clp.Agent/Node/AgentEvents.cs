using Clp.Client;
using Clp.Core.Model;

namespace Clp.Agent.Node;

/// <summary>The agent's entries in the alert log (module <c>agent</c>): group and monitor state changes on
/// this server, and fences. Best effort: an event that cannot be written is logged locally and dropped,
/// never retried ahead of the reconcile; except the last fence's, which is kept and written after the next
/// status write succeeds (the API is usually away when a fence happens).</summary>
/// <remarks>Event ids: 201 group Online here, 202 group Offline here, 203 group failure here (Online or
/// Offline Failure), 210 monitor error, 211 monitor normal again, 220 fenced; module <c>heartbeat</c>:
/// 230 a peer's heartbeats lost on an interconnect, 231 heard again.</remarks>
public sealed partial class AgentEvents(IClpClient client, string cluster, string server, ILogger<AgentEvents> logger)
{
    public const int GroupOnline = 201;
    public const int GroupOffline = 202;
    public const int GroupFailure = 203;
    public const int MonitorError = 210;
    public const int MonitorNormal = 211;
    public const int Fenced = 220;
    public const int HeartbeatLost = 230;
    public const int HeartbeatBack = 231;

    private readonly Dictionary<string, ObjectState> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ObjectState> _monitors = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private string? _pendingFence;

    /// <summary>Writes an event for every group or monitor whose state changed since the last call.</summary>
    public async Task OnStatusAsync(ServerStatus status, CancellationToken cancellationToken)
    {
        string? fence;
        lock (_gate)
        {
            fence = _pendingFence;
            _pendingFence = null;
        }

        if (fence is not null && !await WriteAsync(Fenced, EventSeverity.Error, fence, "Server", server, cancellationToken))
        {
            lock (_gate)
            {
                _pendingFence ??= fence;
            }
        }

        foreach (var (group, state) in status.Groups ?? [])
        {
            if (Changed(_groups, group, state.State) && Describe(state.State) is { } what)
            {
                await WriteAsync(what.Id, what.Severity, $"group {group} is {state.State.Word()} on {server} (epoch {state.Epoch}){Suffix(state.LastError)}", "Group", group, cancellationToken);
            }
        }

        foreach (var (monitor, state) in status.Monitors ?? [])
        {
            var previous = _monitors.GetValueOrDefault(monitor);
            if (!Changed(_monitors, monitor, state.State))
            {
                continue;
            }

            if (state.State == ObjectState.Error)
            {
                await WriteAsync(MonitorError, EventSeverity.Error, $"monitor {monitor} detected an error on {server}{Suffix(state.LastError)}", "Monitor", monitor, cancellationToken);
            }
            else if (state.State == ObjectState.Normal && previous is ObjectState.Error or ObjectState.Caution)
            {
                await WriteAsync(MonitorNormal, EventSeverity.Info, $"monitor {monitor} is normal again on {server}", "Monitor", monitor, cancellationToken);
            }
        }
    }

    /// <summary>A peer's heartbeats were lost, or are heard again, on one interconnect.</summary>
    public Task<bool> OnHeartbeatAsync(string peer, string interconnect, bool heard, CancellationToken cancellationToken) => heard
        ? WriteAsync(HeartbeatBack, EventSeverity.Info, $"{server} hears {peer} on interconnect {interconnect} again", "Server", peer, cancellationToken, "heartbeat")
        : WriteAsync(HeartbeatLost, EventSeverity.Warning, $"{server} no longer hears {peer} on interconnect {interconnect}", "Server", peer, cancellationToken, "heartbeat");

    /// <summary>Writes the fence's event now if the API answers, else after the next successful status write.</summary>
    public async Task OnFencedAsync(string reason, TimeSpan? leaseAge, TimeSpan timeout, IsolationAction? isolationAction, CancellationToken cancellationToken)
    {
        var age = leaseAge is { } a ? $"{a.TotalMilliseconds:F0} ms" : "unknown";
        var then = isolationAction is { } action ? $"; isolated: isolation action {action}" : "";
        var message = $"{server} fenced itself: {reason}; released at lease age {age} (heartbeat timeout {timeout.TotalMilliseconds:F0} ms){then}";
        if (!await WriteAsync(Fenced, EventSeverity.Error, message, "Server", server, cancellationToken))
        {
            lock (_gate)
            {
                _pendingFence = message;
            }
        }
    }

    private static (int Id, EventSeverity Severity)? Describe(ObjectState state) => state switch
    {
        ObjectState.Online => (GroupOnline, EventSeverity.Info),
        ObjectState.Offline => (GroupOffline, EventSeverity.Info),
        ObjectState.OnlineFailure or ObjectState.OfflineFailure => (GroupFailure, EventSeverity.Error),
        _ => null,
    };

    private static bool Changed(Dictionary<string, ObjectState> seen, string name, ObjectState state)
    {
        if (seen.TryGetValue(name, out var previous) && previous == state)
        {
            return false;
        }

        seen[name] = state;
        return true;
    }

    private static string Suffix(string? error) => error is null ? "" : $": {error}";

    private async Task<bool> WriteAsync(int id, EventSeverity severity, string message, string kind, string name, CancellationToken cancellationToken, string module = "agent")
    {
        try
        {
            await client.Events.CreateEventAsync(cluster, new Event
            {
                Spec = new EventSpec
                {
                    Module = module,
                    EventId = id,
                    Severity = severity,
                    Message = message,
                    Object = new ObjectReference { Kind = kind, Name = name },
                    Server = server,
                },
            }, cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Client.Problems.ClpProblemException)
        {
            LogDropped(id, message, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} not written ({Reason}): {Message}")]
    private partial void LogDropped(int eventId, string message, string reason);
}
