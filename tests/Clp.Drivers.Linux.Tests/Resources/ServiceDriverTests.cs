using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>The service driver and the systemd platform check. Which path runs depends on this machine's
/// PID 1; each test asserts the behaviour this machine must show, so none is skipped.</summary>
public sealed class ServiceDriverTests : IDisposable
{
    private readonly ResourceFixture _f = new();

    [Fact]
    public async Task Service_OnThisMachine_StartsAndStopsAUnit_OrRefusesWithoutSystemd()
    {
        var driver = new ServiceDriver(_f.Options);
        var unit = $"clp-test-{_f.Resource}.service";
        var context = _f.Context("service", new JsonObject { ["unit"] = unit });

        if (!LinuxPlatform.CanRunService(out var reason))
        {
            var pid1 = (await File.ReadAllTextAsync("/proc/1/comm")).Trim();
            Assert.Equal($"service resources need systemd as PID 1; this server runs {pid1}", reason);
            var e = await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(context, default));
            Assert.Contains(reason, e.Message);
            Assert.False((await driver.ProbeAsync(context, default)).Healthy);
            await driver.DeactivateAsync(context, default);
            return;
        }

        // systemd is PID 1 here (untested on the machines this was written on): a transient unit in /run.
        Assert.True(Environment.UserName == "root", "the systemd path of this test needs root");
        var path = $"/run/systemd/system/{unit}";
        await File.WriteAllTextAsync(path, "[Service]\nExecStart=/bin/sleep 300\n");
        try
        {
            await TestNet.RunAsync("systemctl", ["daemon-reload"]);
            await driver.ActivateAsync(context, default);
            Assert.Equal("active", (await TestNet.RunAsync("systemctl", ["is-active", unit])).Output.Trim());
            Assert.True((await driver.ProbeAsync(context, default)).Healthy);
            await driver.DeactivateAsync(context, default);
            Assert.NotEqual("active", (await TestNet.RunAsync("systemctl", ["is-active", unit])).Output.Trim());
            Assert.False((await driver.ProbeAsync(context, default)).Healthy);
        }
        finally
        {
            await TestNet.RunAsync("systemctl", ["stop", unit]);
            File.Delete(path);
            await TestNet.RunAsync("systemctl", ["daemon-reload"]);
        }
    }

    [Fact]
    public async Task Activate_WithoutSystemd_FailsWithThePlatformReason_ProbeNotActive_DeactivateSucceeds()
    {
        var driver = new ServiceDriver(() => (false, "service resources need systemd as PID 1; this server runs tini"));
        var context = _f.Context("service", new JsonObject { ["unit"] = "nginx.service" });

        var e = await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(context, default));

        Assert.Equal($"service {_f.Resource}: service resources need systemd as PID 1; this server runs tini", e.Message);
        Assert.False((await driver.ProbeAsync(context, default)).Healthy);
        await driver.DeactivateAsync(context, default);
    }

    [Fact]
    public void CanRunService_Pid1IsSystemd_True()
    {
        var root = FakeRoot(comm: "systemd");
        Directory.CreateDirectory(Path.Combine(root, "proc/1"));
        File.CreateSymbolicLink(Path.Combine(root, "proc/1/exe"), "/usr/lib/systemd/systemd");

        Assert.True(LinuxPlatform.CanRunService(root, out var reason));
        Assert.Contains("/usr/lib/systemd/systemd", reason);
    }

    [Fact]
    public void CanRunService_RunSystemdSystemExists_True()
    {
        var root = FakeRoot(comm: "init");
        Directory.CreateDirectory(Path.Combine(root, "run/systemd/system"));

        Assert.True(LinuxPlatform.CanRunService(root, out _));
    }

    [Fact]
    public void CanRunService_OtherInit_FalseNamingIt()
    {
        var root = FakeRoot(comm: "tini");
        File.CreateSymbolicLink(Path.Combine(root, "proc/1/exe"), "/sbin/tini");

        Assert.False(LinuxPlatform.CanRunService(root, out var reason));
        Assert.Equal("service resources need systemd as PID 1; this server runs tini", reason);
    }

    private string FakeRoot(string comm)
    {
        var root = _f.File("root-" + comm);
        Directory.CreateDirectory(Path.Combine(root, "proc/1"));
        File.WriteAllText(Path.Combine(root, "proc/1/comm"), comm + "\n");
        return root;
    }

    public void Dispose() => _f.Dispose();
}
