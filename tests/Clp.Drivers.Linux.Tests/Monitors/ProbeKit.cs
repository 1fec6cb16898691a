using System.Diagnostics;
using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Monitors;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>What the probe tests share: contexts, in-process probe runs with a deadline, helper processes
/// killed by PID, and the in-namespace runner's answers.</summary>
internal static class ProbeKit
{
    public static MonitorContext Context(string type, JsonObject parameters, string? target = null, JsonObject? targetParameters = null, string? monitor = null) =>
        new("c", "s", monitor ?? type + "-" + Guid.NewGuid().ToString("N")[..8], type, parameters, target, targetParameters);

    public static LinuxDriverOptions Options(string? state = null, TimeProvider? time = null) =>
        new() { StateDirectory = state ?? Path.GetTempPath(), Time = time ?? TimeProvider.System };

    public static IMonitorProbe Probe(string type, LinuxDriverOptions? options = null) =>
        LinuxDrivers.MonitorProbes(options ?? Options())[type];

    /// <summary>Runs the probe as the agent does: cancelled at <paramref name="timeout"/> (default 20 s).</summary>
    public static async Task<ProbeResult> RunAsync(IMonitorProbe probe, MonitorContext context, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        return await probe.ProbeAsync(context, cts.Token);
    }

    public static void AssertHealthy(ProbeResult result) => Assert.True(result.Healthy, $"expected healthy, got: {result.Message}");

    public static void AssertFailed(ProbeResult result, string expected)
    {
        Assert.False(result.Healthy, $"expected a failure with \"{expected}\", got healthy: {result.Message}");
        Assert.Contains(expected, result.Message ?? "", StringComparison.Ordinal);
    }

    /// <summary>The runner's answer to a monitor op, as a result (fails the test when the op itself failed).</summary>
    public static ProbeResult Result(JsonObject answer)
    {
        Assert.True(answer["ok"]?.GetValue<bool>() == true, $"runner error: {answer.ToJsonString()}");
        return new ProbeResult(answer["healthy"]!.GetValue<bool>(), (string?)answer["message"]);
    }

    /// <summary>Starts a helper process (not through a shell) and returns it; the caller kills it by PID.</summary>
    public static Process Start(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    /// <summary>Kills the process by PID (never by name) and waits for it to be reaped.</summary>
    public static void Kill(Process? process)
    {
        if (process is null)
        {
            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone (or killed and disposed before).
        }
    }

    /// <summary>SIGKILLs a PID this test started but holds no Process for (a script's child).</summary>
    public static void KillPid(int pid)
    {
        if (ProcStat.Read(pid) is { IsZombie: false })
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                p.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Ended meanwhile.
            }
        }
    }

    /// <summary>Waits (bounded) until the PID is gone or a zombie; false if it is still alive at the deadline.</summary>
    public static async Task<bool> WaitGoneAsync(int pid, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (ProcStat.Read(pid) is null or { IsZombie: true })
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Runs a command to its end (30 s at most); throws with its output when it fails.</summary>
    public static async Task<string> Sh(string file, params string[] arguments)
    {
        var (code, output) = await TestNet.RunAsync(file, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} ({code}): {output}");
    }
}
