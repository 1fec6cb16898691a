using System.Diagnostics;
using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>The script driver running real scripts: what they see, timeouts and exit codes.</summary>
public sealed class ScriptDriverTests : IDisposable
{
    private readonly ResourceFixture _f = new();

    [SystemFact]
    public async Task Activate_InlineScript_SeesClpVariables()
    {
        var driver = new ScriptDriver(_f.Options);
        var seen = _f.File("env");
        var context = _f.Context("script", new JsonObject { ["startScript"] = $"env | grep ^CLP_ | sort > {seen}" }, GroupEvent.Failover, epoch: 7);

        await driver.ActivateAsync(context, default);

        var lines = await File.ReadAllLinesAsync(seen);
        Assert.Equal(
            ["CLP_CLUSTER=c1", "CLP_EPOCH=7", "CLP_EVENT=FAILOVER", "CLP_GROUP=g1", $"CLP_RESOURCE={_f.Resource}", "CLP_SERVER=s1"],
            lines);
        Assert.True((await driver.ProbeAsync(context, default)).Healthy);
    }

    [SystemFact]
    public async Task Activate_ExecutablePath_RunsIt_AndStopScriptSeesStopEvent()
    {
        var driver = new ScriptDriver(_f.Options);
        var script = _f.File("start.sh");
        var seen = _f.File("events");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho \"$CLP_EVENT\" >> {seen}\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1C0);
        var parameters = new JsonObject { ["startScript"] = script, ["stopScript"] = script };

        await driver.ActivateAsync(_f.Context("script", parameters, GroupEvent.Move), default);
        await driver.DeactivateAsync(_f.Context("script", parameters, GroupEvent.Stop), default);
        await driver.DeactivateAsync(_f.Context("script", parameters, GroupEvent.Stop), default);

        Assert.Equal(["MOVE", "STOP"], await File.ReadAllLinesAsync(seen));
        Assert.False((await driver.ProbeAsync(_f.Context("script", parameters), default)).Healthy);
    }

    [SystemFact("sleep")]
    public async Task Activate_PastTimeout_KillsTheScriptsProcessGroupAndFails()
    {
        var driver = new ScriptDriver(_f.Options);
        var childFile = _f.File("child");
        var context = _f.Context("script", new JsonObject
        {
            ["startScript"] = $"sleep 300 & echo $! > {childFile}; sleep 300",
            ["timeoutSeconds"] = 1,
        });

        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(context, default));

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Contains("did not finish within 1 s", e.Message);
        var child = _f.Track(ResourceFixture.ReadPid(childFile));
        Assert.True(await ResourceFixture.Eventually(() => !ResourceFixture.IsAlive(child)), "the script's child outlived the timeout");
        Assert.False((await driver.ProbeAsync(context, default)).Healthy);
    }

    [SystemFact]
    public async Task Activate_NonZeroExit_FailsWithCodeAndOutput()
    {
        var driver = new ScriptDriver(_f.Options);
        var context = _f.Context("script", new JsonObject { ["startScript"] = "echo cannot reach db >&2; exit 4" });

        var e = await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(context, default));

        Assert.Contains("code 4", e.Message);
        Assert.Contains("cannot reach db", e.Message);
        Assert.False((await driver.ProbeAsync(context, default)).Healthy);
    }

    [SystemFact("sleep")]
    public async Task Activate_Cancelled_KillsTheScript()
    {
        var driver = new ScriptDriver(_f.Options);
        var pidFile = _f.File("pid");
        var context = _f.Context("script", new JsonObject { ["startScript"] = $"echo $$ > {pidFile}; sleep 300" });
        using var cts = new CancellationTokenSource();

        var activation = driver.ActivateAsync(context, cts.Token);
        await ResourceFixture.WaitForFile(pidFile);
        var pid = _f.Track(ResourceFixture.ReadPid(pidFile));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => activation);
        Assert.True(await ResourceFixture.Eventually(() => !ResourceFixture.IsAlive(pid)), "the cancelled script still runs");
    }

    public void Dispose() => _f.Dispose();
}
