namespace Clp.Agent.Host.Tests;

/// <summary>Starts clp-agent processes for one server, always with TEST-HOST power (never the real machine's
/// system actions), a state folder and a power file of the test's own.</summary>
internal sealed class AgentRun : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("clp-agent-host-").FullName;

    public AgentRun()
    {
        Directory.CreateDirectory(StateDirectory);
    }

    public string StateDirectory => Path.Combine(_root, "state");

    public string PowerFile => Path.Combine(_root, "power");

    public ChildProcess Start(Uri api, string cluster, string server, string key, params string[] extra) =>
        ChildProcess.Start("clp-agent", ChildProcess.BuiltDll("ClpAgentPath"),
            ["--api-url", api.ToString(), "--cluster", cluster, "--server", server, "--state-dir", StateDirectory, "--system-actions", "test-host", .. extra],
            new Dictionary<string, string> { ["CLP_AGENT_KEY"] = key, ["CLP_TEST_HOST_POWER_FILE"] = PowerFile });

    /// <summary>The fence guard's PID from its lock file (the agent starts it), or null.</summary>
    public int? GuardPid() => GuardProcesses.PidFromLock(StateDirectory);

    public void Dispose()
    {
        // The guard and the applications outlive a killed agent by design: the test ends them, by PID.
        GuardProcesses.Kill(GuardPid());
        GuardProcesses.KillAppliGroups(StateDirectory);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
