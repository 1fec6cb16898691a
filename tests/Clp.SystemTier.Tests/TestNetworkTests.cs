using System.Net;

namespace Clp.SystemTier.Tests;

/// <summary>The harness itself: hosts reach each other on each network, the root namespace is not on
/// them, a powered-off server is silent, and everything is gone after dispose.</summary>
public class TestNetworkTests
{
    [SystemFact("ping", "nsenter", "unshare")]
    public async Task Hosts_ReachEachOther_AndAPoweredOffServerIsSilent()
    {
        string sw;
        await using (var net = await TestNetwork.CreateAsync())
        {
            sw = net.Switch;
            var s1 = net.Server("s1");
            var (code, output) = await s1.ExecAsync("ping", "-c", "1", "-W", "2", net.Server("s2").Links[1].Address);
            Assert.True(code == 0, output);
            (code, output) = await net.Client.ExecAsync("ping", "-c", "1", "-W", "2", s1.Address);
            Assert.True(code == 0, output);

            // A socket made inside the client namespace reaches s1 (nothing listens: refused, not unreachable).
            using var sockets = new NetNsSockets(net.Client.Namespace);
            var refused = await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() =>
                sockets.ConnectAsync(new IPEndPoint(IPAddress.Parse(s1.Address), 9), TimeSpan.FromSeconds(2)));
            Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refused.SocketErrorCode);

            await s1.PowerOffAsync();
            Assert.Empty(await s1.AddressesAsync() is var a ? a.Where(x => x != "127.0.0.1") : []);
            (code, _) = await net.Client.ExecAsync("ping", "-c", "1", "-W", "1", "10.231.0.0" == s1.Address ? "" : net.Server("s1").Links[0].Address);
            Assert.NotEqual(0, code);
            Assert.Empty(s1.Pids());
        }

        Assert.False(File.Exists("/run/netns/" + sw), "the switch namespace outlived the test");
    }
}
