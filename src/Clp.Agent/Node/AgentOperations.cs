using System.Text.Json.Nodes;
using Clp.Agent.Monitoring;
using Clp.Agent.Reconciliation;
using Clp.Agent.View;
using Clp.Core.Model;

namespace Clp.Agent.Node;

/// <summary>The operations the agents carry out (DESIGN "Operations are objects"): resource start and stop,
/// monitor suspend and resume, failure verification, and the OS step of cluster and server shutdown and
/// reboot. The agent never writes an Operation: it reports each one's progress in its own Server status
/// (<see cref="ServerStatus.Operations"/>) and the controller copies it into the Operation's status.</summary>
/// <remarks>
/// <para><b>Resource stop</b> holds the resource (and what depends on it) offline while its group stays at
/// the epoch it was stopped in; a <b>resource start</b>, a move, a failover or a group restart (a new epoch)
/// ends the hold. The hold is this agent's memory: an agent restart forgets it and starts the resource
/// again with its group (documented).</para>
/// <para><b>Monitor suspend and resume</b> are level-triggered: for each monitor, the latest of its suspend
/// and resume operations (by creation time, then name) that applies to this server decides, so a restarted
/// agent suspends the same monitors again.</para>
/// <para><b>Failure verification</b> makes the monitor's probes fail on the named server (or the server its
/// target runs on) until its recovery state machine takes a step; the operation succeeds with that step.</para>
/// <para><b>Shutdown and reboot</b>: the controller first releases the groups (as cluster stop or server
/// stop do) and then marks the operation Succeeded; an agent that joined before that moment then shuts its
/// server down or reboots it through the system-actions port, once. An agent that started after the
/// operation completed (it came back from that reboot) does nothing.</para>
/// </remarks>
internal sealed class AgentOperations(string server, LocalState local, TimeProvider time)
{
    public static IReadOnlySet<OperationVerb> Verbs { get; } = new HashSet<OperationVerb>
    {
        OperationVerb.ResourceStart, OperationVerb.ResourceStop, OperationVerb.MonitorSuspend, OperationVerb.MonitorResume,
        OperationVerb.FailureVerification, OperationVerb.ClusterShutdown, OperationVerb.ClusterReboot,
        OperationVerb.ServerShutdown, OperationVerb.ServerReboot,
    };

    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly Dictionary<string, (long Epoch, string Operation)> _held = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _verifying = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _osActionsTaken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Resources held offline by a resource stop, for the planner: only holds at the group's current epoch count.</summary>
    public IReadOnlySet<string> HeldOffline(ClusterView view)
    {
        foreach (var (resource, hold) in _held.ToList())
        {
            var group = view.Resources.GetValueOrDefault(resource)?.Spec.Group;
            if (group is null || view.Groups.GetValueOrDefault(group)?.Status?.Epoch != hold.Epoch)
            {
                _held.Remove(resource);
            }
        }

        return _held.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Takes up new resource and verification operations before the groups are planned.</summary>
    /// <param name="placedHere">Whether a group is validly placed on this server (fresh lease, current store and epoch).</param>
    /// <param name="monitors">The monitor runners scheduled on this server.</param>
    public void Begin(ClusterView view, Func<Group, bool> placedHere, IReadOnlyDictionary<string, MonitorRunner> monitors)
    {
        local.RetainOperations(view.Operations.Keys);
        foreach (var operation in Open(view))
        {
            var spec = operation.Spec;
            var name = operation.Metadata.Name;
            switch (spec.Verb)
            {
                case OperationVerb.ResourceStop or OperationVerb.ResourceStart when local.Operation(name) is null:
                    BeginResource(view, operation, placedHere);
                    break;
                case OperationVerb.FailureVerification when local.Operation(name) is null && VerificationServer(view, operation) is { } on
                                                            && string.Equals(on, server, StringComparison.OrdinalIgnoreCase):
                    if (monitors.TryGetValue(spec.Target.Name, out var runner))
                    {
                        runner.InjectedFailure = $"failure verification (operation {name})";
                        _verifying[name] = spec.Target.Name;
                        local.SetOperation(name, ObjectState.Running, $"monitor {spec.Target.Name} fails on {server} until its recovery runs");
                    }
                    else
                    {
                        local.SetOperation(name, ObjectState.Failed, $"monitor {spec.Target.Name} does not run on server {server}");
                    }

                    break;
            }
        }
    }

    private void BeginResource(ClusterView view, Operation operation, Func<Group, bool> placedHere)
    {
        var spec = operation.Spec;
        var resource = view.Resources.GetValueOrDefault(spec.Target.Name);
        var group = resource is null ? null : view.Groups.GetValueOrDefault(resource.Spec.Group);
        if (group is null || !placedHere(group))
        {
            return; // Not this server's: the group's current server takes it (the controller fails it when none does).
        }

        var wanted = Text(spec.Parameters, "server");
        if (wanted is not null && !string.Equals(wanted, server, StringComparison.OrdinalIgnoreCase))
        {
            local.SetOperation(operation.Metadata.Name, ObjectState.Failed, $"group {group.Metadata.Name} runs on {server}, not {wanted}: move the group first");
            return;
        }

        var epoch = group.Status?.Epoch ?? 0;
        if (spec.Verb == OperationVerb.ResourceStop)
        {
            _held[resource!.Metadata.Name] = (epoch, operation.Metadata.Name);
            local.SetOperation(operation.Metadata.Name, ObjectState.Running, $"stopping resource {resource.Metadata.Name} (and what depends on it) on {server}");
        }
        else
        {
            _held.Remove(resource!.Metadata.Name);
            local.SetOperation(operation.Metadata.Name, ObjectState.Running, $"starting resource {resource.Metadata.Name} on {server}");
        }
    }

    /// <summary>Finishes what the last pass achieved: resource operations whose resource reached its state,
    /// verifications whose recovery ran, suspensions applied.</summary>
    public void Complete(ClusterView view, IReadOnlyDictionary<string, MonitorRunner> monitors)
    {
        foreach (var operation in Open(view))
        {
            var name = operation.Metadata.Name;
            var spec = operation.Spec;
            var mine = local.Operation(name);
            switch (spec.Verb)
            {
                case OperationVerb.ResourceStop when mine?.State == ObjectState.Running:
                    var stopped = local.Resource(spec.Target.Name)?.State;
                    if (stopped is ObjectState.Offline or null)
                    {
                        local.SetOperation(name, ObjectState.Succeeded, $"resource {spec.Target.Name} is stopped on {server}; it stays stopped until a resource start or a new placement of its group");
                    }
                    else if (stopped == ObjectState.OfflineFailure)
                    {
                        local.SetOperation(name, ObjectState.Failed, $"resource {spec.Target.Name} failed to stop on {server}: {local.Resource(spec.Target.Name)?.LastError}");
                    }

                    break;
                case OperationVerb.ResourceStart when mine?.State == ObjectState.Running:
                    var started = local.Resource(spec.Target.Name);
                    if (started?.State == ObjectState.Online)
                    {
                        local.SetOperation(name, ObjectState.Succeeded, $"resource {spec.Target.Name} is running on {server}");
                    }
                    else if (started?.State is ObjectState.OnlineFailure)
                    {
                        local.SetOperation(name, ObjectState.Failed, $"resource {spec.Target.Name} failed to start on {server}: {started.LastError}");
                    }

                    break;
                case OperationVerb.FailureVerification when mine?.State == ObjectState.Running && _verifying.TryGetValue(name, out var monitor):
                    if (!monitors.TryGetValue(monitor, out var runner))
                    {
                        local.SetOperation(name, ObjectState.Failed, $"monitor {monitor} stopped running on {server} before its recovery ran");
                        _verifying.Remove(name);
                    }
                    else if (runner.VerificationStep is { } step && runner.InjectedFailure is null)
                    {
                        local.SetOperation(name, ObjectState.Succeeded, $"monitor {monitor} detected the pseudo failure on {server}; its recovery ran: {step}");
                        _verifying.Remove(name);
                    }

                    break;
                case OperationVerb.MonitorSuspend or OperationVerb.MonitorResume when mine is null && AppliesHere(spec):
                    var runs = monitors.ContainsKey(spec.Target.Name);
                    var verb = spec.Verb == OperationVerb.MonitorSuspend ? "suspended" : "resumed";
                    local.SetOperation(name, ObjectState.Succeeded, runs ? $"monitor {spec.Target.Name} {verb} on {server}" : $"monitor {spec.Target.Name} does not run on {server}");
                    break;
            }
        }
    }

    /// <summary>The monitors suspended on this server: for each, the latest of its suspend and resume
    /// operations that applies here decides (failed ones do not count).</summary>
    public IReadOnlySet<string> SuspendedMonitors(ClusterView view)
    {
        var latest = view.Operations.Values
            .Where(o => o.Spec.Verb is OperationVerb.MonitorSuspend or OperationVerb.MonitorResume)
            .Where(o => o.Status?.Phase != OperationPhase.Failed && AppliesHere(o.Spec))
            .GroupBy(o => o.Spec.Target.Name, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderBy(o => o.Metadata.CreationTimestamp).ThenBy(o => o.Metadata.Name, StringComparer.Ordinal).Last());
        return latest.Where(o => o.Spec.Verb == OperationVerb.MonitorSuspend).Select(o => o.Spec.Target.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The OS action a completed shutdown or reboot asks of this server, once, if the operation
    /// completed after this agent started; null when there is none.</summary>
    public (OperationVerb Verb, string Operation)? PendingOsAction(ClusterView view)
    {
        foreach (var operation in view.Operations.Values.OrderBy(o => o.Metadata.CreationTimestamp))
        {
            var spec = operation.Spec;
            var forMe = spec.Verb is OperationVerb.ClusterShutdown or OperationVerb.ClusterReboot
                || (spec.Verb is OperationVerb.ServerShutdown or OperationVerb.ServerReboot && string.Equals(spec.Target.Name, server, StringComparison.OrdinalIgnoreCase));
            if (forMe && operation.Status is { Phase: OperationPhase.Succeeded, CompletedAt: { } completed } && completed >= _startedAt
                && _osActionsTaken.Add(operation.Metadata.Name))
            {
                return (spec.Verb, operation.Metadata.Name);
            }
        }

        return null;
    }

    /// <summary>Operations not yet final, oldest first.</summary>
    private static IEnumerable<Operation> Open(ClusterView view) => view.Operations.Values
        .Where(o => Verbs.Contains(o.Spec.Verb) && o.Status?.Phase is null or OperationPhase.Pending or OperationPhase.Running)
        .OrderBy(o => o.Metadata.CreationTimestamp).ThenBy(o => o.Metadata.Name, StringComparer.Ordinal);

    private bool AppliesHere(OperationSpec spec) =>
        Text(spec.Parameters, "server") is not { } only || string.Equals(only, server, StringComparison.OrdinalIgnoreCase);

    /// <summary>The server a failure verification runs on: its <c>server</c> parameter, else the server the
    /// monitor's target resource runs on (its group's current server); null when neither names one.</summary>
    public static string? VerificationServer(ClusterView view, Operation operation)
    {
        if (Text(operation.Spec.Parameters, "server") is { } named)
        {
            return named;
        }

        var target = view.Monitors.GetValueOrDefault(operation.Spec.Target.Name)?.Spec.Target;
        var group = target is null ? null : view.Resources.GetValueOrDefault(target)?.Spec.Group;
        return group is null ? null : view.Groups.GetValueOrDefault(group)?.Status?.CurrentServer;
    }

    private static string? Text(JsonObject? parameters, string name) =>
        parameters?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
