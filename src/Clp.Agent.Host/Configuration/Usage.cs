using System.Reflection;

namespace Clp.Agent.Host.Configuration;

/// <summary><c>--help</c> and <c>--version</c>, answered before any setting is read.</summary>
public static class Usage
{
    public static string Version =>
        typeof(Usage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Usage).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Writes the usage or the version when <paramref name="args"/> asks for it; true when it did.</summary>
    public static bool TryAnswer(IReadOnlyList<string> args, TextWriter output)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            output.Write(Text());
            return true;
        }

        if (args.Any(a => a is "--version"))
        {
            output.WriteLine($"clp-agent {Version}");
            return true;
        }

        return false;
    }

    private static string Text()
    {
        var settings = string.Join("\n", AgentSetting.All.Select(s => $"  {(s.Option ?? "").PadRight(24)}{s.EnvironmentVariable.PadRight(26)}{s.Description}"));
        return $"""
            clp-agent {Version}: the CLP agent of one server. It joins its cluster through clp-api with the
            server's agent key, renews the server's node lease, and starts, stops and monitors the groups the
            controller places on this server with the real Linux drivers.

            Usage: clp-agent --api-url URL --cluster NAME [--server NAME] --key-file FILE [options]

            Settings (option, environment variable; options win over the environment, which wins over --config):
            {settings}

            One agent per server on a machine: <state>/agent.lock is held (flock) for the process's lifetime and
            names its PID; a second agent for the same state folder exits 3. The kernel drops the lock when the
            process dies, so a killed agent never blocks its restart.

            SIGTERM / SIGINT: while its lease keeps renewing, the agent stops its groups with their resources' stop
            timeouts (escalating to power off only past the longest stop path + 5 s), then stops renewing and
            exits 0; the controller fails the groups over once it judges the server down. Give the service
            manager a stop timeout of at least the longest stop path plus the cluster's heartbeat timeout.

            TEST SEAM (system tests only): --system-actions test-host never touches the machine; each system action
            appends '<action> <reason>' to --test-host-power-file, and shutdown, reboot and power off end the agent
            at once with exit code 70, 71 and 72. While a power file is set, the real 'linux' actions are refused.

            Isolation: when the server is cut from the API and from every surviving side, the agent fences, then
            runs the cluster's isolationAction: StopGroups (rejoin when the API answers), StopClusterService (exit 4,
            no rejoin: tell the supervisor not to restart on 4, e.g. systemd RestartPreventExitStatus=4), Shutdown
            or Reboot.

            Exit codes: 0 stopped, 1 unexpected error, 2 missing or invalid setting, 3 another agent runs this server,
            4 stopped by the isolation action StopClusterService, 70/71/72 test-host shutdown/reboot/power off.

            """;
    }
}
