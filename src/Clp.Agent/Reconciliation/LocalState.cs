using Clp.Core.Model;

namespace Clp.Agent.Reconciliation;

/// <summary>What this agent did and saw on its own server: each resource's state, its last error, and the
/// epoch and generation it acted under. The source of the agent's own Server status.</summary>
public sealed class LocalState(TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _resources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Entry> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Entry> _operations = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>One resource's or group's state here.</summary>
    /// <param name="Generation">For resources: the spec generation it was activated with (a change restarts it).</param>
    /// <param name="Request">For a group in Online Failure: Failover or Stop (what the controller is asked).</param>
    public sealed record Entry(ObjectState State, long Epoch, long Generation, string? LastError, DateTimeOffset Since, GroupRequest? Request = null);

    public Entry? Resource(string name)
    {
        lock (_gate)
        {
            return _resources.GetValueOrDefault(name);
        }
    }

    public Entry? Group(string name)
    {
        lock (_gate)
        {
            return _groups.GetValueOrDefault(name);
        }
    }

    public void SetResource(string name, ObjectState state, long epoch, long generation, string? error = null) =>
        Set(_resources, name, state, epoch, generation, error);

    public void SetGroup(string name, ObjectState state, long epoch, string? error = null, GroupRequest? request = null) =>
        Set(_groups, name, state, epoch, 0, error, request);

    /// <summary>Records the progress of an operation this agent carries out (Running, Succeeded, Failed).</summary>
    public void SetOperation(string name, ObjectState phase, string message) => Set(_operations, name, phase, 0, 0, message);

    public Entry? Operation(string name)
    {
        lock (_gate)
        {
            return _operations.GetValueOrDefault(name);
        }
    }

    /// <summary>Forgets operations that no longer exist (deleted by their owner or by retention).</summary>
    public void RetainOperations(IEnumerable<string> existing)
    {
        lock (_gate)
        {
            var keep = existing.ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var gone in _operations.Keys.Where(k => !keep.Contains(k)).ToList())
            {
                _operations.Remove(gone);
            }
        }
    }

    /// <summary>The resources that may still be active here (anything not Offline).</summary>
    public IReadOnlyList<string> MaybeActiveResources()
    {
        lock (_gate)
        {
            return [.. _resources.Where(r => ObjectStates.MayBeActive(r.Value.State)).Select(r => r.Key).Order(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>The status maps for this server's Server object.</summary>
    public (Dictionary<string, ObjectStateOnServer> Resources, Dictionary<string, ObjectStateOnServer> Groups, Dictionary<string, ObjectStateOnServer> Operations) Snapshot()
    {
        lock (_gate)
        {
            return (_resources.ToDictionary(r => r.Key, r => ToStatus(r.Value)), _groups.ToDictionary(g => g.Key, g => ToStatus(g.Value)),
                _operations.ToDictionary(o => o.Key, o => new ObjectStateOnServer { State = o.Value.State, LastError = o.Value.LastError, Since = o.Value.Since }));
        }
    }

    private void Set(Dictionary<string, Entry> map, string name, ObjectState state, long epoch, long generation, string? error, GroupRequest? request = null)
    {
        lock (_gate)
        {
            var since = map.TryGetValue(name, out var old) && old.State == state ? old.Since : time.GetUtcNow();
            map[name] = new Entry(state, epoch, generation, error, since, request);
        }
    }

    private static ObjectStateOnServer ToStatus(Entry entry) =>
        new() { State = entry.State, Epoch = entry.Epoch, LastError = entry.LastError, Since = entry.Since, Request = entry.Request };
}
