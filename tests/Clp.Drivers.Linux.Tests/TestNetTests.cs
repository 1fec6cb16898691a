namespace Clp.Drivers.Linux.Tests;

/// <summary>The harness itself: two namespaces that reach each other and nothing else, gone after dispose.</summary>
public class TestNetTests
{
    [SystemFact("ping")]
    public async Task Hosts_ReachEachOther_AndAreRemovedOnDispose()
    {
        string a;
        await using (var net = await TestNet.CreateAsync())
        {
            a = net.A;
            var (code, output) = await TestNet.ExecAsync(net.A, "ping", "-c", "1", "-W", "2", net.AddressB);
            Assert.True(code == 0, output);
            Assert.Contains(net.AddressA, await TestNet.AddressesAsync(net.A));
        }

        Assert.False(File.Exists("/run/netns/" + a), "the namespace outlived the test");
    }

    [SystemFact]
    public async Task Runner_StartsInsideTheNamespace()
    {
        await using var net = await TestNet.CreateAsync();
        var state = Directory.CreateTempSubdirectory("clp-drv-");
        try
        {
            await using var runner = await DriverRunner.StartAsync(net.A, state.FullName);
            var answer = await runner.SendAsync(new() { ["op"] = "probe", ["type"] = "no-such-type" });
            Assert.False(answer["ok"]!.GetValue<bool>());
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }
}
