using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>diskw writes, syncs, reads back and compares; faults: a missing folder, a full file system, a
/// read-only file system, and a write that blocks (a FIFO nobody reads) past the deadline.</summary>
[Trait("Category", "System")]
public class DiskwProbeTests
{
    private static JsonObject Parameters(string path, int? size = null) =>
        size is null ? new() { ["path"] = path } : new() { ["path"] = path, ["sizeBytes"] = size };

    [Fact]
    public async Task Probe_WritableFolder_IsHealthy_WithTheDefaultSize()
    {
        var dir = Directory.CreateTempSubdirectory("clp-diskw-");
        try
        {
            var path = Path.Combine(dir.FullName, "probe.dat");

            var result = await ProbeKit.RunAsync(ProbeKit.Probe("diskw"), ProbeKit.Context("diskw", Parameters(path)));

            ProbeKit.AssertHealthy(result);
            Assert.Equal(2_000_000, new FileInfo(path).Length);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Probe_MissingFolder_Fails() =>
        ProbeKit.AssertFailed(
            await ProbeKit.RunAsync(ProbeKit.Probe("diskw"), ProbeKit.Context("diskw", Parameters($"/nonexistent-{Guid.NewGuid():N}/probe.dat"))),
            "open /nonexistent-");

    [SystemFact("mount", "dd")]
    public async Task Probe_FullFileSystem_Fails()
    {
        await using var fs = await TinyFileSystem.MountAsync();
        var probe = ProbeKit.Probe("diskw");
        var context = ProbeKit.Context("diskw", Parameters(Path.Combine(fs.Path, "probe.dat"), 65536));
        ProbeKit.AssertHealthy(await ProbeKit.RunAsync(probe, context));
        File.Delete(Path.Combine(fs.Path, "probe.dat"));

        await fs.FillAsync();

        ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, context), "No space left on device");
    }

    [SystemFact("mount")]
    public async Task Probe_ReadOnlyFileSystem_Fails()
    {
        await using var fs = await TinyFileSystem.MountAsync();
        var probe = ProbeKit.Probe("diskw");
        var context = ProbeKit.Context("diskw", Parameters(Path.Combine(fs.Path, "probe.dat"), 4096));
        ProbeKit.AssertHealthy(await ProbeKit.RunAsync(probe, context));

        await ProbeKit.Sh("mount", "-o", "remount,ro", fs.Path);

        ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, context), "Read-only file system");
    }

    [SystemFact("mkfifo", "dd")]
    public async Task Probe_BlockedWrite_TimesOut_AndTheNextProbeFailsAtOnce()
    {
        var dir = Directory.CreateTempSubdirectory("clp-diskw-");
        var fifo = Path.Combine(dir.FullName, "stalled");
        await ProbeKit.Sh("mkfifo", fifo);
        try
        {
            var probe = ProbeKit.Probe("diskw");
            var context = ProbeKit.Context("diskw", Parameters(fifo, 1 << 20));

            // Nobody reads the FIFO: the write blocks once the pipe buffer is full, as on a hung device.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProbeKit.RunAsync(probe, context, TimeSpan.FromSeconds(1)));
            ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, context), "still blocked");

            // Unblock the stuck writer: drain the FIFO (another process: the writer holds an exclusive lock)
            // until it ends its write and closes the FIFO (dd sees the end of the data only then).
            await ProbeKit.Sh("dd", $"if={fifo}", "of=/dev/null", "bs=64k");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
