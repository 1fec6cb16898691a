using Clp.Core.Model;
using Clp.Policy.Placement;
using Clp.Policy.Time;

namespace Clp.Policy.Tests.Placement;

/// <summary>The controller's side of <see cref="PlacementPolicy"/> in miniature: holds the cluster's
/// state, asks for decisions, and applies each one as the controller writes it.</summary>
internal sealed class World
{
    private readonly List<ServerState> _servers = [];
    private readonly List<ServerGroupMembers> _serverGroups = [];
    private readonly SortedDictionary<string, GroupState> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PlacementRequest> _requests = [];
    private int _nextRequest;

    public ClusterPhase Phase { get; set; } = ClusterPhase.Running;

    public Instant Now { get; set; }

    public Instant StartedAt { get; set; }

    public TimeSpan SyncWait { get; set; } = TimeSpan.FromSeconds(300);

    public FailoverCounts Counts { get; set; } = new(FailoverCountUnit.Server);

    public IReadOnlyList<PlacementRequest> Requests => _requests;

    public IEnumerable<GroupState> Groups => _groups.Values;

    public IReadOnlyList<ServerState> Servers => _servers;

    public GroupState this[string group] => _groups[group];

    /// <summary>Servers with priorities in the given order, all Up and joined.</summary>
    public static World WithServers(params string[] names)
    {
        var world = new World();
        foreach (var name in names)
        {
            world.Server(name);
        }

        return world;
    }

    public World Server(string name, ServerLiveness liveness = ServerLiveness.Up, bool joined = true, int? priority = null)
    {
        var index = _servers.FindIndex(s => s.Name == name);
        var state = new ServerState(name, priority ?? (index >= 0 ? _servers[index].Priority : _servers.Count), liveness, joined);
        if (index >= 0)
        {
            _servers[index] = state;
        }
        else
        {
            _servers.Add(state);
        }

        return this;
    }

    /// <summary>Adds an entry for a server already listed (conflicting evidence).</summary>
    public World DuplicateServer(string name, ServerLiveness liveness, bool joined = true)
    {
        _servers.Add(new(name, _servers.First(s => s.Name == name).Priority, liveness, joined));
        return this;
    }

    public World ServerGroup(string name, params string[] servers)
    {
        _serverGroups.Add(new(name, servers));
        return this;
    }

    public World Group(string name, GroupSpec spec, string? on = null, long epoch = 0, string? reason = null, int? threshold = null)
    {
        _groups[name] = new(name, spec, on, epoch, reason ?? (on is null ? null : PlacementReasons.Startup), FailoverThreshold: threshold);
        return this;
    }

    public World Set(string group, Func<GroupState, GroupState> change)
    {
        _groups[group] = change(_groups[group]);
        return this;
    }

    public string Request(PlacementRequestKind kind, string group, string? server = null)
    {
        var id = $"op{++_nextRequest}";
        _requests.Add(new(id, kind, group, server));
        return id;
    }

    /// <summary>The group's old server reports it Offline under the current epoch.</summary>
    public World ReportOffline(string group) => Set(group, g => g with { DrainedOffline = true });

    public PlacementInput Input() => new()
    {
        Phase = Phase,
        Now = Now,
        StartedAt = StartedAt,
        StartupSyncWait = SyncWait,
        Servers = [.. _servers],
        ServerGroups = [.. _serverGroups],
        Groups = [.. _groups.Values],
        Counts = Counts,
        Requests = [.. _requests],
    };

    public PlacementResult Decide() => PlacementPolicy.Decide(Input());

    /// <summary>Decides and writes every decision, as the controller does in one transaction.</summary>
    public PlacementResult Step()
    {
        var result = Decide();
        foreach (var decision in result.Decisions)
        {
            Apply(decision);
        }

        if (result.StartupComplete)
        {
            Phase = ClusterPhase.Running;
        }

        return result;
    }

    private void Apply(PlacementDecision decision)
    {
        var group = _groups[decision.Group];
        switch (decision)
        {
            case Place place:
                _groups[decision.Group] = group with
                {
                    Current = place.Server, Epoch = place.Epoch, Reason = place.Reason, Drain = null, DrainedOffline = false, IssuedBeforeJoin = false,
                };
                break;
            case Unplace unplace:
                _groups[decision.Group] = group with
                {
                    Current = null, Epoch = unplace.Epoch, Reason = unplace.Reason, Drain = unplace.Drain, DrainedOffline = false, IssuedBeforeJoin = false,
                };
                Charge(unplace.Charge);
                break;
        }

        if (decision.RequestId is { } id)
        {
            _requests.RemoveAll(r => r.Id == id);
        }
    }

    private void Charge(FailoverCountKey? key)
    {
        if (key is { } k)
        {
            Counts = Counts.Charged(k);
        }
    }
}
