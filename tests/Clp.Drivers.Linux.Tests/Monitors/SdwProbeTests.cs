using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>sdw checks the sd's mount and reads its device; the fault is the file system unmounted.</summary>
[Trait("Category", "System")]
public class SdwProbeTests
{
    [SystemFact("losetup", "mkfs.ext4", "mount", "umount")]
    public async Task Probe_Mounted_IsHealthy_Unmounted_Fails()
    {
        var dir = Directory.CreateTempSubdirectory("clp-sdw-");
        var image = Path.Combine(dir.FullName, "disk.img");
        var mountPoint = Directory.CreateDirectory(Path.Combine(dir.FullName, "mnt")).FullName;
        await using (var file = File.Create(image))
        {
            file.SetLength(16 << 20);
        }

        var device = (await ProbeKit.Sh("losetup", "--find", "--show", image)).Trim();
        var mounted = false;
        try
        {
            await ProbeKit.Sh("mkfs.ext4", "-q", "-F", device);
            await ProbeKit.Sh("mount", device, mountPoint);
            mounted = true;
            var probe = ProbeKit.Probe("sdw");
            var context = ProbeKit.Context("sdw", [], "sd1", new JsonObject { ["device"] = device, ["mountPoint"] = mountPoint });
            ProbeKit.AssertHealthy(await ProbeKit.RunAsync(probe, context));

            await ProbeKit.Sh("umount", mountPoint);
            mounted = false;

            ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, context), $"nothing is mounted on {mountPoint}");
        }
        finally
        {
            if (mounted)
            {
                await TestNet.RunAsync("umount", ["-l", mountPoint]);
            }

            await TestNet.RunAsync("losetup", ["-d", device]);
            dir.Delete(recursive: true);
        }
    }
}
