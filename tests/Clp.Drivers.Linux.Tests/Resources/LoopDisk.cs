namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>A 32 MiB ext4 file system on a loop device over a file in a fresh folder, with a mount point
/// beside it. Disposing unmounts whatever is still mounted there and detaches the loop device by its path.</summary>
public sealed class LoopDisk : IAsyncDisposable
{
    private LoopDisk(string folder, string device)
    {
        Folder = folder;
        Device = device;
        MountPoint = Path.Combine(folder, "mnt");
    }

    public string Folder { get; }

    /// <summary>The loop device, e.g. <c>/dev/loop3</c>.</summary>
    public string Device { get; }

    public string MountPoint { get; }

    public static async Task<LoopDisk> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("clp-sd-").FullName;
        var image = Path.Combine(folder, "disk.img");
        await using (var file = File.Create(image))
        {
            file.SetLength(32 * 1024 * 1024);
        }

        var (code, output) = await TestNet.RunAsync("losetup", ["-f", "--show", image]);
        Assert.True(code == 0, "losetup: " + output);
        var disk = new LoopDisk(folder, output.Trim());
        (code, output) = await TestNet.RunAsync("mkfs.ext4", ["-q", disk.Device]);
        if (code != 0)
        {
            await disk.DisposeAsync();
            Assert.Fail("mkfs.ext4: " + output);
        }

        return disk;
    }

    /// <summary>Whether /proc/self/mountinfo (read here, not by the driver) shows <paramref name="device"/>'s
    /// file system on <paramref name="mountPoint"/>.</summary>
    public static bool IsMounted(string device, string mountPoint)
    {
        var majorMinor = File.ReadAllText($"/sys/class/block/{Path.GetFileName(device)}/dev").Trim();
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => l.Split(' '))
            .Any(f => f[2] == majorMinor && f[4] == mountPoint);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo").Reverse())
        {
            var mountPoint = line.Split(' ')[4];
            if (mountPoint.StartsWith(Folder, StringComparison.Ordinal))
            {
                await TestNet.RunAsync("umount", ["-l", mountPoint]);
            }
        }

        await TestNet.RunAsync("losetup", ["-d", Device]);
        Directory.Delete(Folder, recursive: true);
    }
}
