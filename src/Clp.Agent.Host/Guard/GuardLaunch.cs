using System.Diagnostics;
using Clp.Agent.Host.Configuration;

namespace Clp.Agent.Host.Guard;

/// <summary>How clp-agent starts its server's fence guard: <c>clp-fence-guard</c> from clp-agent's own folder, in a
/// session of its own (setsid), at a higher priority (<see cref="Niceness"/>), stdin from /dev/null and its output
/// appended to <c>{state}/fence-guard.log</c>.</summary>
/// <remarks>Its own session and process group: a signal to the agent's PID or process group (SIGSTOP, SIGKILL, a
/// terminal's Ctrl+C) does not reach the guard, and the guard holds none of the agent's pipes, so whoever waits for
/// the agent's output to end (a service manager, a test harness) is not kept waiting by the guard. The guard
/// inherits the agent's network and mount namespaces, which are the ones its drivers must act in.</remarks>
public sealed record GuardLaunch(string StateDirectory, string Cluster, string Server, string? TestHostPowerFile)
{
    public string SocketPath => Path.Combine(StateDirectory, "fence-guard.sock");

    public string LogPath => Path.Combine(StateDirectory, "fence-guard.log");

    public static GuardLaunch For(AgentHostOptions options) =>
        new(options.StateDirectory, options.Cluster, options.Server, options.SystemActions == SystemActionsKind.TestHost ? options.TestHostPowerFile : null);

    /// <summary>The guard's nice value relative to the agent's: it is the backstop that must act at its deadline on a
    /// server whose load is what makes agents late (corosync runs real-time for the same reason). Applied by
    /// <c>nice</c> before the guard's runtime starts, so every thread of it has it (Linux nice values are per thread);
    /// where lowering it is not permitted, <c>nice</c> says so in the guard's log and the guard runs at the agent's.</summary>
    public const int Niceness = -5;

    /// <summary>Starts the guard and returns its PID at once (it needs a moment before its socket answers). A guard
    /// that finds another one holding the lock exits 3, which is harmless.</summary>
    public int Start()
    {
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = "/" };
        string[] wrapper = ["/bin/sh", "-c", $"exec >>\"$1\" 2>&1 </dev/null; shift; exec nice -n {Niceness} \"$@\"", "clp-fence-guard", LogPath];
        List<string> arguments = ["--state-dir", StateDirectory, "--cluster", Cluster, "--server", Server];
        if (TestHostPowerFile is not null)
        {
            arguments.AddRange(["--system-actions", "test-host", "--test-host-power-file", TestHostPowerFile]);
        }

        foreach (var argument in wrapper.Concat(Executable()).Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("setsid did not start");
        return process.Id;
    }

    /// <summary>The apphost next to clp-agent's when clp-agent runs as its apphost; else the same dotnet host that
    /// runs clp-agent.dll, with clp-fence-guard.dll.</summary>
    private static IEnumerable<string> Executable()
    {
        var folder = AppContext.BaseDirectory;
        var apphost = Path.Combine(folder, "clp-fence-guard");
        var host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host) != "dotnet" && File.Exists(apphost)
            ? [apphost]
            : [host, Path.Combine(folder, "clp-fence-guard.dll")];
    }
}
