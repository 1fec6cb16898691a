using System.Net;
using System.Net.Sockets;
using Clp.Client;
using Clp.Core.Model;

namespace Clp.Agent.Host.Tests;

/// <summary>One clp-api process (real HTTP on a free loopback port, its own data folder) shared by the agent
/// tests; each test makes its own cluster, server and agent key.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string AdminKey = "agent-host-test-admin-key-0001";
    private readonly string _data = Directory.CreateTempSubdirectory("clp-agent-host-api-").FullName;
    private ChildProcess? _api;

    public Uri Address { get; private set; } = null!;

    public ClpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Address = new Uri($"http://127.0.0.1:{port}/");
        _api = ChildProcess.Start("clp-api", ChildProcess.BuiltDll("ClpApiPath"), ["--urls", $"http://127.0.0.1:{port}"],
            new Dictionary<string, string> { ["CLP_DATA_DIR"] = _data, ["CLP_BOOTSTRAP_ADMIN_KEY"] = AdminKey });
        await _api.WaitForLineAsync("Application started", "clp-api to start", TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Admin = ClpClient.Create(Address, AdminKey);
    }

    /// <summary>A fresh cluster (heartbeat 500 ms, timeout 3 s) with one server and that server's agent key.</summary>
    public async Task<(string Cluster, string Server, string Key)> NewServerAsync()
    {
        var cluster = "c" + Guid.NewGuid().ToString("N")[..8];
        const string server = "s1";
        await Admin.Clusters.CreateClusterAsync(new Core.Model.Cluster
        {
            Metadata = new ObjectMeta { Name = cluster },
            Spec = new ClusterSpec
            {
                Heartbeat = new HeartbeatSpec { IntervalMs = 500, TimeoutMs = 3000 },
                Interconnects = [new InterconnectSpec { Name = "lan1", Network = "10.231.50.0/24" }],
            },
        }, autoMonitors: false);
        await Admin.Servers.CreateServerAsync(cluster, new Server
        {
            Metadata = new ObjectMeta { Name = server },
            Spec = new ServerSpec { Priority = 0, Interconnects = [new ServerInterconnectAddress { Interconnect = "lan1", Address = "10.231.50.1" }] },
        });
        var key = await Admin.ApiKeys.CreateApiKeyAsync(cluster, new ApiKey
        {
            Metadata = new ObjectMeta { Name = "agent-" + server },
            Spec = new ApiKeySpec { Role = ApiKeyRole.Agent, Server = server },
        });
        return (cluster, server, key.Key);
    }

    /// <summary>Waits until the server reports Online with an incarnation other than <paramref name="not"/>
    /// (its agent joined and wrote its status); returns that incarnation.</summary>
    public async Task<long> WaitOnlineAsync(string cluster, string server, string what, TimeSpan bound, long? not = null)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (true)
        {
            var status = (await Admin.Servers.GetServerAsync(cluster, server)).Status;
            if (status is { Phase: ObjectState.Online, Incarnation: { } incarnation } && incarnation != not)
            {
                var lease = await Admin.Leases.GetLeaseAsync(cluster, server);
                Assert.Equal(incarnation, lease.Spec.Incarnation);
                return incarnation;
            }

            Assert.False(deadline.IsCancellationRequested,
                $"timed out after {bound.TotalSeconds} s waiting for {what} (server {cluster}/{server} status: phase {status?.Phase?.ToString() ?? "none"}, incarnation {status?.Incarnation?.ToString() ?? "none"})");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "clp-api process";
}
