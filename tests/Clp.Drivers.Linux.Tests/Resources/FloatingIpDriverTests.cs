using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>The fip driver running inside test namespace a (through the driver runner), with host b as the
/// rest of the network; which namespace holds an address is read with <c>ip -n NS</c> by the test.</summary>
public sealed partial class FloatingIpDriverTests
{
    [SystemFact]
    public async Task Activate_AddressAnsweredByAnotherHost_FailsFast_ThenSucceedsAndAnnouncesOnceFree()
    {
        await using var net = await TestNet.CreateAsync();
        var state = Directory.CreateTempSubdirectory("clp-fip-");
        try
        {
            await using var runner = await DriverRunner.StartAsync(net.A, state.FullName);
            var fip = net.Free(0);
            // The runner adopts the object it is given into its request, so every call gets its own.
            JsonObject parameters() => new() { ["ip"] = fip };
            await TestNet.Ip("-n", net.B, "addr", "add", fip + "/24", "dev", net.IfB);
            // A first request warms the runner (JIT, driver construction), so the timing below is the check's.
            Assert.False((await runner.ProbeAsync("fip", parameters()))["healthy"]!.GetValue<bool>());

            var watch = Stopwatch.StartNew();
            var refused = await runner.ActivateAsync("fip", parameters());
            var took = watch.Elapsed;

            Assert.False(refused["ok"]!.GetValue<bool>(), "activation succeeded while b held the address");
            Assert.Contains($"address {fip} already answers on the network (held by MAC {await MacAsync(net.B, net.IfB)})", (string?)refused["error"]);
            Assert.True(took < TimeSpan.FromSeconds(1), $"the conflict check took {took}");
            Assert.DoesNotContain(fip, await TestNet.AddressesAsync(net.A));

            // b lets the address go; its neighbour cache still points at the previous holder.
            await TestNet.Ip("-n", net.B, "addr", "del", fip + "/24", "dev", net.IfB);
            await TestNet.Ip("-n", net.B, "neigh", "replace", fip, "lladdr", "02:00:00:00:00:01", "dev", net.IfB, "nud", "stale");

            var activated = await runner.ActivateAsync("fip", parameters());
            Assert.True(activated["ok"]!.GetValue<bool>(), activated.ToJsonString());
            Assert.Contains(fip, await TestNet.AddressesAsync(net.A));
            Assert.Contains($"inet {fip}/24", await TestNet.Ip("-n", net.A, "-o", "-4", "addr", "show", "dev", net.IfA));
            Assert.True((await runner.ProbeAsync("fip", parameters()))["healthy"]!.GetValue<bool>());

            var macA = await MacAsync(net.A, net.IfA);
            Assert.True(await ResourceFixture.Eventually(() => NeighbourOf(net.B, fip).Result.Contains(macA), TimeSpan.FromSeconds(3)),
                $"b's neighbour entry for {fip} was not updated to a's MAC {macA}: {await NeighbourOf(net.B, fip)}");

            Assert.True((await runner.ActivateAsync("fip", parameters()))["ok"]!.GetValue<bool>(), "a second activation failed");
            Assert.True((await runner.DeactivateAsync("fip", parameters()))["ok"]!.GetValue<bool>());
            Assert.DoesNotContain(fip, await TestNet.AddressesAsync(net.A));
            Assert.True((await runner.DeactivateAsync("fip", parameters()))["ok"]!.GetValue<bool>(), "deactivating an absent address failed");
            Assert.False((await runner.ProbeAsync("fip", parameters()))["healthy"]!.GetValue<bool>());
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [SystemFact]
    public async Task Activate_OnNamedInterfaceWithoutConflictCheck_AddsAddress_AndProbeFollowsExternalRemoval()
    {
        await using var net = await TestNet.CreateAsync();
        var state = Directory.CreateTempSubdirectory("clp-fip-");
        try
        {
            await using var runner = await DriverRunner.StartAsync(net.A, state.FullName);
            var fip = net.Free(1);
            JsonObject parameters() => new() { ["ip"] = fip, ["interface"] = net.IfA, ["conflictCheck"] = false, ["arpCount"] = 2 };

            var activated = await runner.ActivateAsync("fip", parameters());

            Assert.True(activated["ok"]!.GetValue<bool>(), activated.ToJsonString());
            Assert.Contains($"inet {fip}/24", await TestNet.Ip("-n", net.A, "-o", "-4", "addr", "show", "dev", net.IfA));
            await TestNet.Ip("-n", net.A, "addr", "del", fip + "/24", "dev", net.IfA);
            Assert.False((await runner.ProbeAsync("fip", parameters()))["healthy"]!.GetValue<bool>());
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [SystemFact]
    public async Task Activate_AddressOutsideEveryNetwork_FailsNamingTheInterfaceParameter()
    {
        await using var net = await TestNet.CreateAsync();
        var state = Directory.CreateTempSubdirectory("clp-fip-");
        try
        {
            await using var runner = await DriverRunner.StartAsync(net.A, state.FullName);

            var answer = await runner.ActivateAsync("fip", new JsonObject { ["ip"] = "192.0.2.77" });

            Assert.False(answer["ok"]!.GetValue<bool>());
            Assert.Contains("set the interface parameter", (string?)answer["error"]);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Activate_Ipv6Address_IsRefusedSayingSo()
    {
        var driver = new FloatingIpDriver(new LinuxDriverOptions { StateDirectory = Path.GetTempPath() });
        var context = new ResourceContext("c", "s", "g", "fip1", "fip", new JsonObject { ["ip"] = "fd00::10" }, GroupEvent.Start, 1);

        var e = await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(context, default));

        Assert.Contains("IPv6", e.Message);
    }

    private static async Task<string> MacAsync(string ns, string device) =>
        Mac().Match(await TestNet.Ip("-n", ns, "link", "show", device)).Groups[1].Value;

    private static Task<string> NeighbourOf(string ns, string ip) => TestNet.Ip("-n", ns, "neigh", "show", ip);

    [GeneratedRegex("link/ether ([0-9a-f:]{17})")]
    private static partial Regex Mac();
}
