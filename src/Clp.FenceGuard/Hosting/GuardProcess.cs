using Clp.Core.Drivers;
using Clp.Drivers.Linux;
using Clp.Drivers.Linux.SystemActions;
using Clp.FenceGuard.Guarding;

namespace Clp.FenceGuard.Hosting;

/// <summary>Wires the guard process: the real Linux resource drivers over the agent's state folder, the system
/// actions (real, or test-host power), the deadline logic and the socket.</summary>
/// <remarks>Only the resource drivers are created (no monitor probes), and nothing activates: the drivers get no lease
/// gate because the guard only deactivates and probes. The process ignores SIGTERM-less ends of its agent: it runs in
/// its own session, so a signal to the agent's PID or process group does not reach it.</remarks>
public sealed partial class GuardProcess : IAsyncDisposable
{
    private readonly GuardServer _server;
    private readonly DeadlineGuard _guard;
    private readonly ILogger _logger;
    private readonly GuardSettings _settings;

    private GuardProcess(GuardSettings settings, GuardServer server, DeadlineGuard guard, ILogger logger)
    {
        _settings = settings;
        _server = server;
        _guard = guard;
        _logger = logger;
    }

    public static GuardProcess Create(GuardSettings settings, TimeProvider time, TextWriter log)
    {
        var loggers = new LineLoggerFactory(time, log);
        var logger = loggers.CreateLogger("clp-fence-guard");
        var drivers = LinuxDrivers.ResourceDrivers(new LinuxDriverOptions { StateDirectory = settings.StateDirectory, Time = time, Loggers = loggers });
        ISystemActions system = settings.TestHost
            ? new TestHostPower(settings.PowerFile!, loggers.CreateLogger("TestHostPower"))
            : new LinuxSystemActions(_ => { }, time, loggers.CreateLogger<LinuxSystemActions>());
        var release = new ServerRelease(settings.Cluster, settings.Server, drivers, time, loggers.CreateLogger("ServerRelease"));
        var guard = new DeadlineGuard(release, system, time, loggers.CreateLogger("DeadlineGuard"));
        return new GuardProcess(settings, new GuardServer(settings, guard, loggers.CreateLogger("GuardServer")), guard, logger);
    }

    public async Task<int> RunAsync()
    {
        _server.Prime();
        _server.Listen();
        LogListening(_settings.Server, _settings.Cluster, _settings.SocketPath, Environment.ProcessId, _settings.TestHost ? "test-host" : "linux");
        try
        {
            await _server.ServeAsync(_server.ExitRequested);
        }
        catch (OperationCanceledException)
        {
            // Asked to exit.
        }

        File.Delete(_settings.SocketPath);
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _server.Dispose();
        await _guard.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fence guard of server {Server} in cluster {Cluster} listening on {Socket} (pid {Pid}, system actions {SystemActions})")]
    private partial void LogListening(string server, string cluster, string socket, int pid, string systemActions);
}
