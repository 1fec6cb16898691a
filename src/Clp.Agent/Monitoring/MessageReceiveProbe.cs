using System.Collections.Concurrent;
using Clp.Agent.View;
using Clp.Core.Drivers;

namespace Clp.Agent.Monitoring;

/// <summary>The probe of the <c>mrw</c> (message receive) monitor type: an external tool reports an error by
/// posting an Event to the cluster, and each matching message (<see cref="MessageMatch"/>) newer than the
/// monitor's start on this agent fails exactly one probe; the next probe is healthy again unless another
/// message came. With retry count 0 the monitor's recovery runs as for any monitor error.</summary>
/// <remarks>Every agent has its own instance (it reads the agent's view of the cluster, not the OS), and the
/// agent registers it for <c>mrw</c> over any probe its host passes. The consumed position of each monitor
/// (a resourceVersion) is in memory: an agent restart, or a change of the monitor (a new runner), starts it
/// again at the view's version, so messages from before are never counted. Failure modes: the view keeps
/// the newest <see cref="ClusterViewCache.MaxMessages"/> external messages, so a monitor more than that many
/// behind loses the oldest; a message without <c>spec.server</c> fails the monitor on every server where it
/// runs, including one the recovery target moves to within one interval (name the server to avoid that).</remarks>
public sealed class MessageReceiveProbe(Func<ClusterView> view) : IMonitorProbe
{
    public const string TypeName = "mrw";

    private readonly ConcurrentDictionary<string, long> _consumed = new(StringComparer.OrdinalIgnoreCase);

    public string Type => TypeName;

    /// <summary>Starts (or restarts) <paramref name="monitor"/>: only messages with a resourceVersion above
    /// <paramref name="after"/> count.</summary>
    public void Start(string monitor, long after) => _consumed[monitor] = after;

    /// <summary>Forgets a monitor that no longer runs here.</summary>
    public void Forget(string monitor) => _consumed.TryRemove(monitor, out _);

    public Task<ProbeResult> ProbeAsync(MonitorContext context, CancellationToken cancellationToken)
    {
        var current = view();

        // A monitor probed before Start (not through the agent) starts at the view it first sees.
        var after = _consumed.GetOrAdd(context.Monitor, current.Version);
        var category = context.Parameters["category"]?.GetValue<string>() ?? "";
        var keyword = context.Parameters["keyword"]?.GetValue<string>();
        if (MessageMatch.Next(current.Messages, after, context.Server, category, keyword) is not { } message)
        {
            return Task.FromResult(ProbeResult.Ok());
        }

        // One prober per monitor at a time (the scheduler does not run a monitor's job concurrently).
        _consumed[context.Monitor] = MessageMatch.VersionOf(message);
        return Task.FromResult(ProbeResult.Failed(
            $"message {message.Metadata.Name} of category {message.Spec.Module} ({message.Spec.Severity}): {message.Spec.Message}"));
    }
}
