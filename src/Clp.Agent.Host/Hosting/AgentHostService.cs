using Clp.Agent.Host.Configuration;
using Clp.Agent.Leases;
using Clp.Agent.Node;
using Clp.Client;
using Clp.Client.Watching;
using Clp.Core.Drivers;
using Clp.Drivers.Linux;
using Microsoft.Extensions.Hosting;

namespace Clp.Agent.Host.Hosting;

/// <summary>Runs this server's <see cref="AgentNode"/> for the host's lifetime: the SDK client with the agent
/// key, the lease protocol over it, and the real Linux drivers and probes.</summary>
/// <remarks>Stopping (SIGTERM, SIGINT, the stop-cluster-service final action) runs
/// <see cref="AgentNode.LeaveAsync"/>: while the lease keeps renewing, the agent stops every group with the
/// resources' stop timeouts (escalating to power off only past the longest stop path + 5 s), then stops
/// renewing and exits 0. The
/// controller fails the groups over once it judges the server down (T + M after the last renewal), so
/// nothing this agent ran is left running unprotected by a lease. The host's stop token is ignored on
/// purpose: a release cut short is worse than a late exit.</remarks>
public sealed partial class AgentHostService(
    AgentHostOptions options,
    ISystemActions system,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<AgentHostService> logger) : IHostedService, IAsyncDisposable
{
    private ClpClient? _client;
    private AgentNode? _node;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _client = ClpClient.Create(options.ApiUrl, options.AgentKey, time, watcherLogger: loggers.CreateLogger<ClpWatcher>());
        var drivers = new LinuxDriverOptions { StateDirectory = options.StateDirectory, Time = time, Loggers = loggers };
        _node = new AgentNode(
            _client,
            new ApiLeaseEndpoint(_client, options.Cluster, options.Server),
            new AgentOptions { Cluster = options.Cluster, Server = options.Server, UnsupportedTypes = LinuxDrivers.UnsupportedTypes() },
            LinuxDrivers.ResourceDrivers(drivers),
            LinuxDrivers.MonitorProbes(drivers),
            system,
            time,
            loggers);
        LogStarting(options.Server, options.Cluster, options.ApiUrl.ToString(), options.StateDirectory, options.SystemActions.ToString(), Environment.ProcessId);
        await _node.StartAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_node is null)
        {
            return;
        }

        var started = time.GetTimestamp();
        LogLeaving(options.Server);
        await _node.LeaveAsync($"clp-agent of server {options.Server} stopping (SIGTERM or stop requested)");
        LogLeft(options.Server, time.GetElapsedTime(started).TotalMilliseconds);
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }

        _client?.Dispose();
        _client = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "clp-agent of server {Server} in cluster {Cluster} starting (API {ApiUrl}, state {StateDirectory}, system actions {SystemActions}, pid {Pid})")]
    private partial void LogStarting(string server, string cluster, string apiUrl, string stateDirectory, string systemActions, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: server {Server} stops renewing its lease and releases its groups through the fence path")]
    private partial void LogLeaving(string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped: server {Server} released its groups in {ElapsedMs} ms; the controller fails them over once it judges the server down")]
    private partial void LogLeft(string server, double elapsedMs);
}
