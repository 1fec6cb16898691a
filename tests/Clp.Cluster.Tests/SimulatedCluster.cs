using System.Text.Json.Nodes;
using Clp.Agent.Leases;
using Clp.Agent.Node;
using Clp.Client;
using Clp.Core.Model;
using Clp.Drivers.Simulated;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clp.Cluster.Tests;

/// <summary>SIMULATION harness: clp-api (with its controller) in-process and one agent per server over
/// simulated drivers, all on real time. The <see cref="World"/> is the ground truth the tests check.</summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    public const string Name = "c1";
    private readonly Dictionary<string, AgentNode> _agents = new(StringComparer.OrdinalIgnoreCase);

    public SimulatedCluster(int intervalMs = 500, int timeoutMs = 4000)
    {
        IntervalMs = intervalMs;
        TimeoutMs = timeoutMs;
        World = new SimulatedWorld(TimeProvider.System);
    }

    public int IntervalMs { get; }

    public int TimeoutMs { get; }

    /// <summary>The running clp-api; replaced by <see cref="RestartApiAsync"/>.</summary>
    public ClusterApi Api { get; private set; } = new();

    private bool _apiDown;

    public SimulatedWorld World { get; }

    /// <summary>An admin client that follows API restarts.</summary>
    public ClpClient Admin => Client(ClusterApi.AdminKey);

    /// <summary>Each agent's recording system-actions port (shutdown, reboot, power off), by server.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, RecordingSystemActions> Systems { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A client whose requests go to whichever clp-api instance runs now (and fail, as a network
    /// error would, while none does).</summary>
    public ClpClient Client(string key)
    {
        var http = new HttpClient(new BearerKeyHandler(key) { InnerHandler = new RoutingHandler(this) })
        {
            BaseAddress = new Uri("http://localhost"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        return new ClpClient(http);
    }

    /// <summary>Stops clp-api (the agents' calls fail meanwhile), waits <paramref name="downFor"/>, and starts a
    /// new instance over the same data directory, as a process restart would.</summary>
    public async Task RestartApiAsync(TimeSpan downFor)
    {
        var old = Api;
        _apiDown = true;
        old.StopKeepingData();
        await Task.Delay(downFor);
        Api = new ClusterApi(old.DataDirectory);
        _ = Api.Server; // starts it
        _apiDown = false;
    }

    private sealed class RoutingHandler(SimulatedCluster cluster) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (cluster._apiDown)
            {
                throw new HttpRequestException("clp-api is down (restarting)");
            }

            try
            {
                using var invoker = new HttpMessageInvoker(cluster.Api.Server.CreateHandler(), disposeHandler: true);
                return await invoker.SendAsync(request, cancellationToken);
            }
            catch (ObjectDisposedException e)
            {
                throw new HttpRequestException("clp-api is down (restarting)", e);
            }
        }
    }

    public IReadOnlyDictionary<string, AgentNode> Agents => _agents;

    /// <summary>Creates the cluster with <paramref name="servers"/> and group g1 (policy in server order) holding
    /// fip1 and app1 (app1 depends on fip1), every step bounded to 1 s.</summary>
    public async Task CreateAsync(params string[] servers)
    {
        var admin = Admin;
        await admin.Clusters.CreateClusterAsync(new Core.Model.Cluster
        {
            Metadata = new ObjectMeta { Name = Name },
            Spec = new ClusterSpec
            {
                Heartbeat = new HeartbeatSpec { IntervalMs = IntervalMs, TimeoutMs = TimeoutMs },
                StartupSyncWaitSeconds = 30,
                Interconnects = [new InterconnectSpec { Name = "lan1", Network = "10.231.50.0/24" }],
            },
        }, autoMonitors: false);
        for (var i = 0; i < servers.Length; i++)
        {
            await admin.Servers.CreateServerAsync(Name, new Server
            {
                Metadata = new ObjectMeta { Name = servers[i] },
                Spec = new ServerSpec { Priority = i, Interconnects = [new ServerInterconnectAddress { Interconnect = "lan1", Address = $"10.231.50.{i + 1}" }] },
            });
        }

        await admin.Groups.CreateGroupAsync(Name, new Group
        {
            Metadata = new ObjectMeta { Name = "g1" },
            Spec = new GroupSpec { FailoverPolicy = new FailoverPolicy { Kind = FailoverPolicyKind.Servers, Servers = [.. servers] } },
        });
        await admin.Resources.CreateResourceAsync(Name, Resource("fip1", "fip", new JsonObject { ["ip"] = "10.231.51.10" }), autoMonitors: false);
        await admin.Resources.CreateResourceAsync(Name, Resource("app1", "appli", new JsonObject { ["startCommand"] = "/bin/true" }, "fip1"), autoMonitors: false);
    }

    private static Resource Resource(string name, string type, JsonObject parameters, params string[] dependsOn) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new ResourceSpec { Group = "g1", Type = type, Parameters = parameters, DependsOn = [.. dependsOn], StartTimeoutSeconds = 1, StopTimeoutSeconds = 1 },
    };

    /// <summary>Renewals of each server's agent fail while the server is in here (its lease traffic is cut).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> CutLeases { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Starts the agent of <paramref name="server"/> with its own agent key; it reports
    /// <paramref name="unsupportedTypes"/> (type -> reason) as what its server cannot run.</summary>
    public async Task<AgentNode> StartAgentAsync(string server, IReadOnlyDictionary<string, string>? unsupportedTypes = null)
    {
        var created = await Admin.ApiKeys.CreateApiKeyAsync(Name, new ApiKey
        {
            Metadata = new ObjectMeta { Name = $"agent-{server}-{Guid.NewGuid():N}"[..30] },
            Spec = new ApiKeySpec { Role = ApiKeyRole.Agent, Server = server },
        });
        var client = Client(created.Key!);
        var drivers = SimulatedDrivers.ResourceDrivers(server, World, TimeProvider.System).ToDictionary(d => d.Type);
        var agent = new AgentNode(
            client,
            new CuttableLeaseEndpoint(new ApiLeaseEndpoint(client, Name, server), () => CutLeases.ContainsKey(server)),
            new AgentOptions { Cluster = Name, Server = server, ResyncInterval = TimeSpan.FromSeconds(1), UnsupportedTypes = unsupportedTypes ?? new Dictionary<string, string>() },
            drivers,
            SimulatedDrivers.MonitorProbes(server, World).ToDictionary(p => p.Type),
            Systems[server] = new RecordingSystemActions(server, World),
            TimeProvider.System,
            NullLoggerFactory.Instance);
        _agents[server] = agent;
        await agent.StartAsync();
        return agent;
    }

    /// <summary>A server's death: its agent stops at once (no fence) and its simulated resources vanish.</summary>
    public async Task KillServerAsync(string server)
    {
        World.PowerOff(server);
        if (_agents.Remove(server, out var agent))
        {
            await agent.DisposeAsync();
        }
    }

    /// <summary>An agent crash or restart: the agent stops (no fence), its simulated resources keep running.</summary>
    public async Task StopAgentAsync(string server)
    {
        if (_agents.Remove(server, out var agent))
        {
            await agent.DisposeAsync();
        }
    }

    public async Task<Group> GroupAsync(string name = "g1") => await Admin.Groups.GetGroupAsync(Name, name);

    /// <summary>Waits for <paramref name="condition"/>, at most <paramref name="bound"/>; fails naming <paramref name="what"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"timed out after {bound.TotalSeconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents.Values)
        {
            await agent.DisposeAsync();
        }

        Api.Dispose();
    }
}

/// <summary>Fails every lease call while <paramref name="cut"/> says so, as a lost route to the API would.</summary>
internal sealed class CuttableLeaseEndpoint(ILeaseEndpoint inner, Func<bool> cut) : ILeaseEndpoint
{
    public Task<JoinGrant> AcquireAsync(long incarnation, TimeSpan timeout, CancellationToken cancellationToken) =>
        cut() ? throw new HttpRequestException("lease traffic cut by the test") : inner.AcquireAsync(incarnation, timeout, cancellationToken);

    public Task<RenewAnswer> RenewAsync(long incarnation, TimeSpan timeout, int timeoutRatioAck, long? voteToken, IReadOnlyList<RelayedRenewal> relayed, CancellationToken cancellationToken) =>
        cut() ? throw new HttpRequestException("lease traffic cut by the test") : inner.RenewAsync(incarnation, timeout, timeoutRatioAck, voteToken, relayed, cancellationToken);
}
