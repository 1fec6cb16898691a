using System.Diagnostics;
using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>The appli driver against real processes; liveness is read from /proc by the test.</summary>
public sealed class ApplicationDriverTests : IDisposable
{
    private readonly ResourceFixture _f = new();

    private string PidPath => Path.Combine(_f.State, "appli", _f.Resource + ".pid");

    [SystemFact("sleep")]
    public async Task Resident_Activate_WritesPidFileWithStartTime_AndDeactivateEndsIt()
    {
        var driver = new ApplicationDriver(_f.Options);
        var context = _f.Context("appli", new JsonObject { ["startCommand"] = "exec sleep 60" });

        await driver.ActivateAsync(context, default);

        var text = await File.ReadAllTextAsync(PidPath);
        var pid = _f.Track(ResourceFixture.ReadPid(PidPath));
        Assert.Equal($"{pid} {ResourceFixture.StartTime(pid)}", text.Trim());
        Assert.True(ResourceFixture.IsAlive(pid));
        Assert.True((await driver.ProbeAsync(context, default)).Healthy);

        await driver.ActivateAsync(context, default);
        Assert.Equal(text, await File.ReadAllTextAsync(PidPath));

        await driver.DeactivateAsync(context, default);
        Assert.False(ResourceFixture.IsAlive(pid), "the application outlived its deactivation");
        Assert.False(File.Exists(PidPath), "the pid file outlived the deactivation");
        Assert.False((await driver.ProbeAsync(context, default)).Healthy);
        await driver.DeactivateAsync(context, default);
    }

    [SystemFact("sleep")]
    public async Task Resident_KilledFromOutside_ProbeFails_AndDeactivateSucceeds()
    {
        var driver = new ApplicationDriver(_f.Options);
        var context = _f.Context("appli", new JsonObject { ["startCommand"] = "sleep 60" });
        await driver.ActivateAsync(context, default);
        var pid = _f.Track(ResourceFixture.ReadPid(PidPath));

        var (code, output) = await TestNet.RunAsync("kill", ["-KILL", pid.ToString()]);
        Assert.True(code == 0, output);

        Assert.True(await ResourceFixture.Eventually(() => !driver.ProbeAsync(context, default).Result.Healthy), "probe still healthy");
        await driver.DeactivateAsync(context, default);
        Assert.False(File.Exists(PidPath));
    }

    [SystemFact("sleep")]
    public async Task Resident_IgnoringSigterm_IsKilledAfterStopGrace()
    {
        var driver = new ApplicationDriver(_f.Options);
        var context = _f.Context("appli", new JsonObject
        {
            ["startCommand"] = "trap '' TERM; while :; do sleep 0.1; done",
            ["stopGraceSeconds"] = 1,
        });
        await driver.ActivateAsync(context, default);
        var pid = _f.Track(ResourceFixture.ReadPid(PidPath));

        var watch = Stopwatch.StartNew();
        await driver.DeactivateAsync(context, default);

        Assert.False(ResourceFixture.IsAlive(pid));
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(6));
    }

    [SystemFact("sleep")]
    public async Task Resident_DeactivationCancelledDuringGrace_KillsTheGroupAtOnce()
    {
        var driver = new ApplicationDriver(_f.Options);
        var context = _f.Context("appli", new JsonObject
        {
            ["startCommand"] = "trap '' TERM; while :; do sleep 0.1; done",
            ["stopGraceSeconds"] = 20,
        });
        await driver.ActivateAsync(context, default);
        var pid = _f.Track(ResourceFixture.ReadPid(PidPath));
        using var fence = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => driver.DeactivateAsync(context, fence.Token));

        Assert.True(await ResourceFixture.Eventually(() => !ResourceFixture.IsAlive(pid)), "the application outlived the cancelled stop");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the cancelled stop took {watch.Elapsed}");
    }

    [SystemFact("sleep")]
    public async Task Resident_ChildProcesses_AreStoppedWithTheGroup()
    {
        var driver = new ApplicationDriver(_f.Options);
        var childFile = _f.File("child");
        var context = _f.Context("appli", new JsonObject { ["startCommand"] = $"sleep 300 & echo $! > {childFile}; wait" });
        await driver.ActivateAsync(context, default);
        _f.Track(ResourceFixture.ReadPid(PidPath));
        await ResourceFixture.WaitForFile(childFile);
        var child = _f.Track(ResourceFixture.ReadPid(childFile));
        Assert.True(ResourceFixture.IsAlive(child));

        await driver.DeactivateAsync(context, default);

        Assert.False(ResourceFixture.IsAlive(child), "a child of the application outlived the stop");
    }

    [SystemFact("sleep")]
    public async Task Resident_NewDriverInstance_AdoptsThroughPidFile_AndStopsIt()
    {
        var context = _f.Context("appli", new JsonObject { ["startCommand"] = "sleep 60" });
        await new ApplicationDriver(_f.Options).ActivateAsync(context, default);
        var pid = _f.Track(ResourceFixture.ReadPid(PidPath));

        // A restarted agent: a new driver over the same state folder.
        var restarted = new ApplicationDriver(_f.Options);
        Assert.True((await restarted.ProbeAsync(context, default)).Healthy);
        await restarted.ActivateAsync(context, default);
        Assert.Equal(pid, ResourceFixture.ReadPid(PidPath));

        await restarted.DeactivateAsync(context, default);
        Assert.False(ResourceFixture.IsAlive(pid));
    }

    [SystemFact]
    public async Task Resident_ExitingAtOnce_FailsWithExitCodeAndLog()
    {
        var driver = new ApplicationDriver(_f.Options);
        var context = _f.Context("appli", new JsonObject { ["startCommand"] = "echo no-config-file >&2; exit 3" });

        var e = await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(context, default));

        Assert.Contains("code 3", e.Message);
        Assert.Contains("no-config-file", e.Message);
        Assert.False(File.Exists(PidPath));
        Assert.False((await driver.ProbeAsync(context, default)).Healthy);
    }

    [SystemFact("sleep")]
    public async Task Resident_StopCommand_RunsInsteadOfSignal()
    {
        var driver = new ApplicationDriver(_f.Options);
        var stopped = _f.File("stopped");
        var context = _f.Context("appli", new JsonObject
        {
            ["startCommand"] = "trap 'exit 0' TERM; while :; do sleep 0.1; done",
            ["stopCommand"] = $"echo yes > {stopped}; kill -KILL -$(cat {PidPath} | cut -d' ' -f1)",
            ["stopGraceSeconds"] = 5,
        });
        await driver.ActivateAsync(context, default);
        var pid = _f.Track(ResourceFixture.ReadPid(PidPath));

        await driver.DeactivateAsync(context, default);

        Assert.Equal("yes", (await File.ReadAllTextAsync(stopped)).Trim());
        Assert.False(ResourceFixture.IsAlive(pid));
    }

    [SystemFact("runuser")]
    public async Task Resident_EnvironmentWorkingDirectoryAndUser_AreApplied()
    {
        var driver = new ApplicationDriver(_f.Options);
        var work = Directory.CreateDirectory(_f.File("work"));
        File.SetUnixFileMode(work.FullName, (UnixFileMode)0x1FF);
        File.SetUnixFileMode(_f.State, (UnixFileMode)0x1ED);
        var context = _f.Context("appli", new JsonObject
        {
            ["startCommand"] = "echo \"$(pwd) $GREETING $(id -un)\" > seen; exec sleep 60",
            ["workingDirectory"] = work.FullName,
            ["environment"] = new JsonObject { ["GREETING"] = "hello" },
            ["user"] = "nobody",
        });
        await driver.ActivateAsync(context, default);
        _f.Track(ResourceFixture.ReadPid(PidPath));

        await ResourceFixture.WaitForFile(Path.Combine(work.FullName, "seen"));
        Assert.Equal($"{work.FullName} hello nobody", (await File.ReadAllTextAsync(Path.Combine(work.FullName, "seen"))).Trim());
        await driver.DeactivateAsync(context, default);
    }

    [SystemFact]
    public async Task NonResident_RunsStartAndStop_AndFailsOnNonZeroExit()
    {
        var driver = new ApplicationDriver(_f.Options);
        var flag = _f.File("flag");
        var context = _f.Context("appli", new JsonObject
        {
            ["resident"] = false,
            ["startCommand"] = $"echo on > {flag}",
            ["stopCommand"] = $"rm {flag}",
        });

        await driver.ActivateAsync(context, default);
        Assert.True(File.Exists(flag));
        Assert.True((await driver.ProbeAsync(context, default)).Healthy);
        await driver.DeactivateAsync(context, default);
        Assert.False(File.Exists(flag));
        Assert.False((await driver.ProbeAsync(context, default)).Healthy);
        await driver.DeactivateAsync(context, default);

        var failing = _f.Context("appli", new JsonObject { ["resident"] = false, ["startCommand"] = "echo disk full; exit 7", ["stopCommand"] = "true" });
        var e = await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(failing, default));
        Assert.Contains("code 7", e.Message);
        Assert.Contains("disk full", e.Message);
        Assert.False((await driver.ProbeAsync(failing, default)).Healthy);
    }

    public void Dispose() => _f.Dispose();
}
