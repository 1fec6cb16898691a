using System.Collections.Concurrent;

namespace Clp.Drivers.Simulated;

/// <summary>SIMULATION, for in-process cluster tests only: the ground truth of which simulated resources
/// are active on which simulated server, with the failures a test injects. Nothing here touches the
/// machine. The history is the test's outside view: it is written by the drivers as they act, never by
/// the agent's own bookkeeping, so a safety check against it does not trust CLP's records.</summary>
public sealed class SimulatedWorld(TimeProvider time)
{
    private readonly object _gate = new();
    private readonly HashSet<(string Server, string Resource)> _active = [];
    private readonly HashSet<string> _poweredOff = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Server, string Resource), int> _activationFailures = new();
    private readonly ConcurrentDictionary<(string Server, string Resource), int> _deactivationFailures = new();
    private readonly ConcurrentDictionary<(string Server, string Monitor), string> _probeFailures = new();
    private readonly List<WorldChange> _history = [];

    /// <summary>Every activation and deactivation, in order.</summary>
    public IReadOnlyList<WorldChange> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>The servers on which <paramref name="resource"/> is active now.</summary>
    public IReadOnlyList<string> ActiveOn(string resource)
    {
        lock (_gate)
        {
            return [.. _active.Where(a => string.Equals(a.Resource, resource, StringComparison.OrdinalIgnoreCase)).Select(a => a.Server).Order()];
        }
    }

    public bool IsActive(string server, string resource)
    {
        lock (_gate)
        {
            return _active.Contains(Key(server, resource));
        }
    }

    public bool IsPoweredOff(string server)
    {
        lock (_gate)
        {
            return _poweredOff.Contains(server);
        }
    }

    /// <summary>The next <paramref name="times"/> activations of the resource on the server fail.</summary>
    public void FailActivation(string server, string resource, int times = int.MaxValue) => _activationFailures[Key(server, resource)] = times;

    /// <summary>The next <paramref name="times"/> deactivations of the resource on the server fail.</summary>
    public void FailDeactivation(string server, string resource, int times = int.MaxValue) => _deactivationFailures[Key(server, resource)] = times;

    /// <summary>The monitor's probe on the server fails with <paramref name="message"/> until <see cref="HealProbe"/>.</summary>
    public void FailProbe(string server, string monitor, string message = "simulated failure") => _probeFailures[(server.ToLowerInvariant(), monitor.ToLowerInvariant())] = message;

    public void HealProbe(string server, string monitor) => _probeFailures.TryRemove((server.ToLowerInvariant(), monitor.ToLowerInvariant()), out _);

    /// <summary>A server's power cut: everything active on it stops at once and its drivers refuse to act
    /// until <see cref="PowerOn"/>.</summary>
    public void PowerOff(string server)
    {
        lock (_gate)
        {
            _poweredOff.Add(server);
            foreach (var active in _active.Where(a => string.Equals(a.Server, server, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                _active.Remove(active);
                _history.Add(new WorldChange(time.GetUtcNow(), active.Server, active.Resource, false, "power off"));
            }
        }
    }

    public void PowerOn(string server)
    {
        lock (_gate)
        {
            _poweredOff.Remove(server);
        }
    }

    internal void Activate(string server, string resource)
    {
        ThrowIfPoweredOff(server);
        if (Consume(_activationFailures, Key(server, resource)))
        {
            throw new Core.Drivers.DriverException($"simulated activation failure of {resource} on {server}");
        }

        lock (_gate)
        {
            if (_active.Add(Key(server, resource)))
            {
                _history.Add(new WorldChange(time.GetUtcNow(), server, resource, true, "activate"));
            }
        }
    }

    internal void Deactivate(string server, string resource)
    {
        ThrowIfPoweredOff(server);
        if (Consume(_deactivationFailures, Key(server, resource)))
        {
            throw new Core.Drivers.DriverException($"simulated deactivation failure of {resource} on {server}");
        }

        lock (_gate)
        {
            if (_active.Remove(Key(server, resource)))
            {
                _history.Add(new WorldChange(time.GetUtcNow(), server, resource, false, "deactivate"));
            }
        }
    }

    internal string? ProbeFailure(string server, string monitor) =>
        _probeFailures.TryGetValue((server.ToLowerInvariant(), monitor.ToLowerInvariant()), out var message) ? message : null;

    private void ThrowIfPoweredOff(string server)
    {
        if (IsPoweredOff(server))
        {
            throw new Core.Drivers.DriverException($"simulated server {server} is powered off");
        }
    }

    private static bool Consume(ConcurrentDictionary<(string, string), int> failures, (string, string) key)
    {
        while (failures.TryGetValue(key, out var left) && left > 0)
        {
            if (failures.TryUpdate(key, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }

    private static (string, string) Key(string server, string resource) => (server.ToLowerInvariant(), resource.ToLowerInvariant());
}

/// <summary>One change of the simulated ground truth.</summary>
public sealed record WorldChange(DateTimeOffset At, string Server, string Resource, bool Active, string Cause);
