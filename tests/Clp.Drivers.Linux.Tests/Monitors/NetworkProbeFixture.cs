namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>A fresh pair of namespaces with the real probes running in a (the monitoring server); the monitored
/// things live in b. Disposing ends the runner and deletes the namespaces.</summary>
internal sealed class NetworkProbeFixture : IAsyncDisposable
{
    private readonly DirectoryInfo _state;

    private NetworkProbeFixture(TestNet net, DriverRunner runner, DirectoryInfo state)
    {
        Net = net;
        Runner = runner;
        _state = state;
    }

    public TestNet Net { get; }

    public DriverRunner Runner { get; }

    public static async Task<NetworkProbeFixture> CreateAsync()
    {
        var net = await TestNet.CreateAsync();
        var state = Directory.CreateTempSubdirectory("clp-mon-");
        try
        {
            return new NetworkProbeFixture(net, await DriverRunner.StartAsync(net.A, state.FullName), state);
        }
        catch
        {
            await net.DisposeAsync();
            state.Delete(recursive: true);
            throw;
        }
    }

    public async Task<Core.Drivers.ProbeResult> MonitorAsync(string type, System.Text.Json.Nodes.JsonObject parameters, string? target = null, System.Text.Json.Nodes.JsonObject? targetParameters = null, int timeoutMs = 15_000) =>
        // Clones: the runner request adopts the nodes, and tests reuse their parameter objects.
        ProbeKit.Result(await Runner.MonitorAsync(type, parameters.DeepClone().AsObject(), target, targetParameters?.DeepClone().AsObject(), timeoutMs));

    /// <summary>The runner's PID (<c>ip netns exec</c> execs it, so it is the process whose command line
    /// names this fixture's state folder).</summary>
    public int RunnerPid() => Clp.Drivers.Linux.Monitors.ProcStat.AllPids().Single(pid =>
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return args.Contains(DriverRunner.RunnerPath) && args.Contains(_state.FullName);
        }
        catch (IOException)
        {
            return false;
        }
    });

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        await Net.DisposeAsync();
        _state.Delete(recursive: true);
    }
}
