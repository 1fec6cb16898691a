using System.Globalization;
using System.Text.Json.Nodes;
using Clp.Drivers.Linux.Monitors;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>genw runs scripts; faults: a non-zero exit, and a hung script killed with its process group at the
/// caller's deadline.</summary>
[Trait("Category", "System")]
public sealed class GenwProbeTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clp-genw-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static JsonObject Script(string script, int? ok = null) =>
        ok is null ? new() { ["script"] = script } : new() { ["script"] = script, ["okExitCode"] = ok };

    [Fact]
    public async Task Probe_ExitZero_IsHealthy_ExitOne_FailsWithItsMessage()
    {
        var probe = ProbeKit.Probe("genw");

        ProbeKit.AssertHealthy(await ProbeKit.RunAsync(probe, ProbeKit.Context("genw", Script("test \"$CLP_MONITOR\" != ''"))));
        ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, ProbeKit.Context("genw", Script("echo 'db is down' >&2; exit 1"))), "exit status 1, expected 0: db is down");
    }

    [Fact]
    public async Task Probe_ExecutablePathWithItsOkExitCode_IsHealthy()
    {
        var path = Path.Combine(_dir.FullName, "check.sh");
        await File.WriteAllTextAsync(path, "#!/bin/sh\nexit 3\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        ProbeKit.AssertHealthy(await ProbeKit.RunAsync(ProbeKit.Probe("genw"), ProbeKit.Context("genw", Script(path, ok: 3))));
        ProbeKit.AssertFailed(await ProbeKit.RunAsync(ProbeKit.Probe("genw"), ProbeKit.Context("genw", Script(path))), "exit status 3");
    }

    [Fact]
    public async Task Probe_HungScript_IsKilledWithItsChildrenAtTheDeadline()
    {
        var childFile = Path.Combine(_dir.FullName, "child.pid");
        var probe = new GenwProbe();
        var shell = 0;
        probe.Started = pid => shell = pid;
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProbeKit.RunAsync(probe,
            ProbeKit.Context("genw", Script($"sleep 60 & echo $! > {childFile}; wait")), TimeSpan.FromSeconds(1)));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the probe did not return at its deadline");
        var child = int.Parse((await File.ReadAllTextAsync(childFile)).Trim(), CultureInfo.InvariantCulture);
        try
        {
            Assert.True(await ProbeKit.WaitGoneAsync(shell, TimeSpan.FromSeconds(5)), $"the script's shell {shell} outlived the timeout");
            Assert.True(await ProbeKit.WaitGoneAsync(child, TimeSpan.FromSeconds(5)), $"the script's child {child} outlived the timeout");
        }
        finally
        {
            ProbeKit.KillPid(child);
        }
    }

    [Fact]
    public async Task Probe_ScriptLeavingABackgroundChild_AnswersWhenTheScriptExits()
    {
        var childFile = Path.Combine(_dir.FullName, "bg.pid");
        var started = DateTime.UtcNow;

        var result = await ProbeKit.RunAsync(ProbeKit.Probe("genw"), ProbeKit.Context("genw", Script($"sleep 30 & echo $! > {childFile}; exit 0")));

        ProbeKit.KillPid(int.Parse((await File.ReadAllTextAsync(childFile)).Trim(), CultureInfo.InvariantCulture));
        ProbeKit.AssertHealthy(result);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the probe waited for the background child");
    }
}
