using System.Net;
using Clp.Drivers.Linux.Network;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Network;

/// <summary>System tier: rtnetlink against the kernel of a test namespace pair, compared with what
/// <c>ip</c> itself reports. The test process enters namespace a on a thread of its own (setns), so the
/// calls run in a, as the agent's do in its server's namespace.</summary>
public class RouteNetlinkTests
{
    [SystemFact]
    public async Task ListAddAndDelete_InANamespace_AgreeWithIp()
    {
        await using var net = await TestNet.CreateAsync();
        var fip = IPAddress.Parse(net.Free(2));

        var (listed, added, again, deleted, gone, absent) = await InNamespaceAsync(net.A, () =>
        {
            var before = RouteNetlink.ListAddresses();
            var add = RouteNetlink.AddAddress(net.IfA, fip, 24);
            var twice = RouteNetlink.AddAddress(net.IfA, fip, 24);
            var after = RouteNetlink.ListAddresses();
            var delete = RouteNetlink.DeleteAddress(net.IfA, fip, 24);
            var deleteAgain = RouteNetlink.DeleteAddress(net.IfA, fip, 24);
            return (before, add, twice, after.Where(a => a.Address.Equals(fip)).ToList(), delete, deleteAgain);
        });

        var fromIp = InterfaceAddress.ParseAll(await TestNet.Ip("-n", net.A, "-o", "addr", "show"));
        Assert.Equal(fromIp.OrderBy(a => a.ToString()), listed.OrderBy(a => a.ToString()));
        Assert.Equal(0, added);
        Assert.Equal(17, again); // EEXIST
        Assert.Equal([new InterfaceAddress(net.IfA, fip, 24, Secondary: true)], deleted);
        Assert.Equal(0, gone);
        Assert.Equal(99, absent); // EADDRNOTAVAIL
        Assert.DoesNotContain(fip.ToString(), await TestNet.AddressesAsync(net.A));
    }

    /// <summary>Runs <paramref name="work"/> on a new thread that entered network namespace <paramref name="ns"/>.</summary>
    private static Task<T> InNamespaceAsync<T>(string ns, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{ns}");
                if (SetNs(handle.DangerousGetHandle().ToInt32(), 0x40000000) != 0)
                {
                    throw new InvalidOperationException($"setns({ns}) failed: {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
                }

                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        thread.Start();
        return done.Task;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int type);
}
