using System.Globalization;
using Clp.Drivers.Linux.Monitors;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>appliw reads the appli driver's pid file; faults: the process killed, the PID file pointing at a
/// process that is another one now, a zombie, no pid file.</summary>
[Trait("Category", "System")]
public sealed class AppliwProbeTests : IDisposable
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("clp-appliw-");

    public void Dispose() => _state.Delete(recursive: true);

    private async Task RecordAsync(string resource, int pid, ulong startTime)
    {
        var file = AppliwProbe.PidFile(_state.FullName, resource);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, string.Create(CultureInfo.InvariantCulture, $"{pid} {startTime}\n"));
    }

    private Task<Core.Drivers.ProbeResult> ProbeAsync(string resource) =>
        ProbeKit.RunAsync(ProbeKit.Probe("appliw", ProbeKit.Options(_state.FullName)), ProbeKit.Context("appliw", [], resource, []));

    [Fact]
    public async Task Probe_RecordedProcessRuns_IsHealthy_Killed_Fails()
    {
        using var app = ProbeKit.Start("sleep", "60");
        var pid = app.Id;
        try
        {
            await RecordAsync("app1", pid, ProcStat.Read(app.Id)!.StartTime);
            ProbeKit.AssertHealthy(await ProbeAsync("app1"));

            ProbeKit.Kill(app);

            ProbeKit.AssertFailed(await ProbeAsync("app1"), $"process {pid} is gone");
        }
        finally
        {
            ProbeKit.Kill(app);
        }
    }

    [Fact]
    public async Task Probe_PidNowHeldByAnotherProcess_Fails()
    {
        // This test process stands for the one that got the recycled PID: same PID, another start time.
        var me = ProcStat.Read(Environment.ProcessId)!;
        await RecordAsync("app2", me.Pid, me.StartTime - 1);

        ProbeKit.AssertFailed(await ProbeAsync("app2"), "the PID now belongs to");
    }

    [Fact]
    public async Task Probe_ZombieProcess_Fails()
    {
        // sh starts a short child, then execs a sleep that never reaps it: the child stays a zombie.
        using var parent = ProbeKit.Start("/bin/sh", "-c", "sleep 0.1 & exec sleep 30");
        try
        {
            var child = 0;
            for (var i = 0; i < 100 && child == 0; i++)
            {
                await Task.Delay(50);
                var children = await File.ReadAllTextAsync($"/proc/{parent.Id}/task/{parent.Id}/children");
                child = children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).FirstOrDefault(p => ProcStat.Read(p)?.IsZombie == true);
            }

            Assert.True(child != 0, "no zombie child appeared");
            await RecordAsync("app3", child, ProcStat.Read(child)!.StartTime);

            ProbeKit.AssertFailed(await ProbeAsync("app3"), "zombie");
        }
        finally
        {
            ProbeKit.Kill(parent);
        }
    }

    [Fact]
    public async Task Probe_NoPidFile_FailsAsNotStartedHere() =>
        ProbeKit.AssertFailed(await ProbeAsync("never-started"), "was not started by this agent");
}
