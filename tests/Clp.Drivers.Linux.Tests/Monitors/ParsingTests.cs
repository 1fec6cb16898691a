using System.Net;
using Clp.Drivers.Linux.Monitors;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>Unit tier: the pure parsers and verdicts under the probes, on fixed inputs.</summary>
[Trait("Category", "Unit")]
public class ParsingTests
{
    [Fact]
    public void ProcStat_NameWithSpacesAndParentheses_ParsesStateAndStartTime()
    {
        var stat = ProcStat.Parse(42, "42 (my (odd) name) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10 18446744073709551615");

        Assert.Equal("my (odd) name", stat.Name);
        Assert.Equal('S', stat.State);
        Assert.Equal(123456UL, stat.StartTime);
        Assert.False(stat.IsZombie);
    }

    [Fact]
    public void ProcStat_ThisProcess_MatchesEnvironment()
    {
        var stat = ProcStat.Read(Environment.ProcessId);

        Assert.NotNull(stat);
        Assert.True(stat.StartTime > 0);
    }

    [Fact]
    public void InterfaceAddress_IpOutput_GivesDevicesAddressesAndFlags()
    {
        const string output = """
            3: va    inet 10.231.250.1/24 scope global va\       valid_lft forever preferred_lft forever
            3: va    inet 10.231.250.7/24 scope global secondary va:1\       valid_lft forever preferred_lft forever
            4: vb    inet6 fd00::5/64 scope global dadfailed tentative \       valid_lft forever preferred_lft forever
            """;

        var all = InterfaceAddress.ParseAll(output);

        Assert.Equal(3, all.Count);
        Assert.Equal("va", all[1].Interface);
        Assert.Equal(IPAddress.Parse("10.231.250.7"), all[1].Address);
        Assert.Equal(24, all[1].PrefixLength);
        Assert.True(all[1].Usable);
        Assert.False(all[2].Usable);
    }

    [Fact]
    public void Fipw_AddressOnAnotherDevice_Fails()
    {
        var addresses = InterfaceAddress.ParseAll("2: eth1    inet 10.0.0.9/24 scope global eth1\\ x");

        var result = FipwProbe.Check("fip1", IPAddress.Parse("10.0.0.9"), "eth0", addresses, d => new LinkState(d, "up", 1));

        ProbeKit.AssertFailed(result, "not on eth0");
    }

    [Fact]
    public void Fipw_DeviceWithoutCarrier_Fails()
    {
        var addresses = InterfaceAddress.ParseAll("2: eth0    inet 10.0.0.9/24 scope global eth0\\ x");

        var result = FipwProbe.Check("fip1", IPAddress.Parse("10.0.0.9"), null, addresses, d => new LinkState(d, "lowerlayerdown", 0));

        ProbeKit.AssertFailed(result, "link is down");
    }

    [Theory]
    [InlineData("up", 1, true)]
    [InlineData("unknown", 1, true)]
    [InlineData("up", 0, false)]
    [InlineData("lowerlayerdown", 0, false)]
    [InlineData("down", null, false)]
    [InlineData("dormant", 1, false)]
    public void LinkState_IsUp_NeedsCarrierAndUsableOperState(string operState, int? carrier, bool up) =>
        Assert.Equal(up, new LinkState("eth0", operState, carrier).IsUp);

    [Fact]
    public void MountInfo_EscapedMountPoint_IsDecoded()
    {
        const string text = "36 35 98:0 / /mnt/my\\040disk rw,noatime master:1 - ext4 /dev/loop3 rw,errors=continue\n"
            + "37 35 0:5 / /proc rw,nosuid shared:2 - proc proc rw\n";

        var mounts = Clp.Drivers.Linux.Resources.MountEntry.ParseAll(text);

        Assert.Equal("/mnt/my disk", mounts[0].MountPoint);
        Assert.Equal("/dev/loop3", mounts[0].Source);
        Assert.Equal("ext4", mounts[0].FsType);
    }

    [Fact]
    public void Sdw_MountFromAnotherDevice_Fails()
    {
        var mounts = Clp.Drivers.Linux.Resources.MountEntry.ParseAll("36 35 98:0 / /mnt/d rw - ext4 /dev/loop3 rw\n");

        Assert.Null(SdwProbe.CheckMount("sd1", "/dev/loop3", "/mnt/d/", mounts, p => p));
        ProbeKit.AssertFailed(SdwProbe.CheckMount("sd1", "/dev/loop4", "/mnt/d", mounts, p => p)!, "holds /dev/loop3");
        ProbeKit.AssertFailed(SdwProbe.CheckMount("sd1", "/dev/loop3", "/mnt/e", mounts, p => p)!, "nothing is mounted on /mnt/e");
    }

    [Theory]
    [InlineData("sleep", "sleep", true)]
    [InlineData("sleep", "sleeper", false)]
    [InlineData("a-very-long-process-name", "a-very-long-pro", true)]
    public void Psw_Matches_ComparesTheKernelsFifteenByteName(string processName, string comm, bool matches) =>
        Assert.Equal(matches, PswProbe.Matches(processName, comm));

    [Fact]
    public void Psw_Verdict_AtMinCountIsHealthy_OneBelowFails()
    {
        ProbeKit.AssertHealthy(PswProbe.Verdict("x", 2, 2));
        ProbeKit.AssertFailed(PswProbe.Verdict("x", 1, 2), "fewer than 2");
    }

    [Fact]
    public void Appliw_Check_RecycledPidOrZombieFails()
    {
        var alive = new ProcStat(10, "app", 'S', 500);

        ProbeKit.AssertHealthy(AppliwProbe.Check("a1", 10, 500, alive));
        ProbeKit.AssertFailed(AppliwProbe.Check("a1", 10, 499, alive), "the PID now belongs to app");
        ProbeKit.AssertFailed(AppliwProbe.Check("a1", 10, 500, alive with { State = 'Z' }), "zombie");
        ProbeKit.AssertFailed(AppliwProbe.Check("a1", 10, 500, null), "process 10 is gone");
    }
}
