using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>psw counts live processes by comm; the fault is one of two required processes killed.</summary>
[Trait("Category", "System")]
public class PswProbeTests
{
    [Fact]
    public async Task Probe_EnoughProcesses_IsHealthy_OneKilled_Fails()
    {
        // A copy of sleep under a fresh name (at most 15 bytes, the kernel's comm), so no other process matches.
        var dir = Directory.CreateTempSubdirectory("clp-psw-");
        var name = "clpps" + Guid.NewGuid().ToString("N")[..8];
        var exe = Path.Combine(dir.FullName, name);
        File.Copy("/bin/sleep", exe);
        File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var first = ProbeKit.Start(exe, "60");
        using var second = ProbeKit.Start(exe, "60");
        try
        {
            var probe = ProbeKit.Probe("psw");
            var context = ProbeKit.Context("psw", new JsonObject { ["processName"] = name, ["minCount"] = 2 });
            ProbeKit.AssertHealthy(await ProbeKit.RunAsync(probe, context));

            ProbeKit.Kill(second);

            ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, context), $"1 process(es) named {name}, fewer than 2");
        }
        finally
        {
            ProbeKit.Kill(first);
            ProbeKit.Kill(second);
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Probe_NoSuchProcess_FailsWithTheDefaultMinCount() =>
        ProbeKit.AssertFailed(
            await ProbeKit.RunAsync(ProbeKit.Probe("psw"), ProbeKit.Context("psw", new JsonObject { ["processName"] = "clp-none-" + Environment.ProcessId })),
            "fewer than 1");
}
