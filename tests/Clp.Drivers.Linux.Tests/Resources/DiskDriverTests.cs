using System.Diagnostics;
using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>The sd driver on loop devices: mounts are read from /proc/self/mountinfo by the test.</summary>
public sealed class DiskDriverTests : IDisposable
{
    private readonly ResourceFixture _f = new();

    [SystemFact("losetup", "mkfs.ext4", "e2fsck", "fuser")]
    public async Task Activate_ChecksAndMountsThroughASymlink_DeactivateUnmounts()
    {
        await using var disk = await LoopDisk.CreateAsync();
        var link = Path.Combine(disk.Folder, "by-name");
        File.CreateSymbolicLink(link, disk.Device);
        var driver = new DiskDriver(_f.Options);
        var context = _f.Context("sd", new JsonObject { ["device"] = link, ["mountPoint"] = disk.MountPoint, ["mountOptions"] = "noatime" });

        await driver.ActivateAsync(context, default);

        Assert.True(LoopDisk.IsMounted(disk.Device, disk.MountPoint), "not mounted after activation");
        Assert.True((await driver.ProbeAsync(context, default)).Healthy);
        await File.WriteAllTextAsync(Path.Combine(disk.MountPoint, "data"), "kept");
        await driver.ActivateAsync(context, default);

        await driver.DeactivateAsync(context, default);

        Assert.False(LoopDisk.IsMounted(disk.Device, disk.MountPoint), "still mounted after deactivation");
        Assert.False(File.Exists(Path.Combine(disk.MountPoint, "data")));
        Assert.False((await driver.ProbeAsync(context, default)).Healthy);
        await driver.DeactivateAsync(context, default);
        await driver.ActivateAsync(context, default);
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(disk.MountPoint, "data")));
        await driver.DeactivateAsync(context, default);
    }

    [SystemFact("losetup", "mkfs.ext4", "e2fsck", "fuser", "sleep")]
    public async Task Deactivate_MountPointBusy_KillsTheHolderAndUnmounts()
    {
        await using var disk = await LoopDisk.CreateAsync();
        var driver = new DiskDriver(_f.Options);
        var context = _f.Context("sd", new JsonObject { ["device"] = disk.Device, ["mountPoint"] = disk.MountPoint, ["fsck"] = false });
        await driver.ActivateAsync(context, default);
        using var holder = Process.Start(new ProcessStartInfo("sleep", ["300"]) { WorkingDirectory = disk.MountPoint })!;
        _f.Track(holder.Id);
        var (code, _) = await TestNet.RunAsync("umount", [disk.MountPoint]);
        Assert.NotEqual(0, code);

        var watch = Stopwatch.StartNew();
        await driver.DeactivateAsync(context, default);

        Assert.False(LoopDisk.IsMounted(disk.Device, disk.MountPoint), "still mounted");
        Assert.True(await ResourceFixture.Eventually(() => !ResourceFixture.IsAlive(holder.Id)), "the holder survived");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"the busy unmount took {watch.Elapsed}");
    }

    [SystemFact("losetup", "mkfs.ext4", "e2fsck")]
    public async Task Activate_MountPointHoldsAnotherDevice_OrDeviceMountedElsewhere_Fails()
    {
        await using var disk = await LoopDisk.CreateAsync();
        await using var other = await LoopDisk.CreateAsync();
        var driver = new DiskDriver(_f.Options);
        Directory.CreateDirectory(disk.MountPoint);
        var (code, output) = await TestNet.RunAsync("mount", [other.Device, disk.MountPoint]);
        Assert.True(code == 0, output);

        var onPoint = await Assert.ThrowsAsync<DriverException>(() =>
            driver.ActivateAsync(_f.Context("sd", new JsonObject { ["device"] = disk.Device, ["mountPoint"] = disk.MountPoint }), default));
        Assert.Contains($"{disk.MountPoint} already has {other.Device}", onPoint.Message);
        Assert.False((await driver.ProbeAsync(_f.Context("sd", new JsonObject { ["device"] = disk.Device, ["mountPoint"] = disk.MountPoint }), default)).Healthy);

        // Deactivating the resource must not unmount the other device.
        await driver.DeactivateAsync(_f.Context("sd", new JsonObject { ["device"] = disk.Device, ["mountPoint"] = disk.MountPoint }), default);
        Assert.True(LoopDisk.IsMounted(other.Device, disk.MountPoint));

        var elsewhere = await Assert.ThrowsAsync<DriverException>(() =>
            driver.ActivateAsync(_f.Context("sd", new JsonObject { ["device"] = other.Device, ["mountPoint"] = other.MountPoint }), default));
        Assert.Contains($"already mounted on {disk.MountPoint}", elsewhere.Message);
        Assert.False(LoopDisk.IsMounted(other.Device, other.MountPoint));
    }

    [SystemFact("losetup", "mkfs.ext4", "e2fsck")]
    public async Task Activate_FileSystemFsckCannotRepair_FailsWithoutMounting()
    {
        await using var disk = await LoopDisk.CreateAsync();
        // Wipe the primary superblock (bytes 1024..2047) and the group descriptors after it.
        await using (var device = new FileStream(disk.Device, FileMode.Open, FileAccess.Write))
        {
            device.Seek(1024, SeekOrigin.Begin);
            device.Write(new byte[8192]);
        }

        var driver = new DiskDriver(_f.Options);
        var context = _f.Context("sd", new JsonObject { ["device"] = disk.Device, ["mountPoint"] = disk.MountPoint });

        var e = await Assert.ThrowsAsync<DriverException>(() => driver.ActivateAsync(context, default));

        Assert.Contains("e2fsck", e.Message);
        Assert.False(LoopDisk.IsMounted(disk.Device, disk.MountPoint));
    }

    public void Dispose() => _f.Dispose();
}
