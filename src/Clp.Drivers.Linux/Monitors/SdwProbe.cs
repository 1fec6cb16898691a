using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>sdw</c>: the target sd's mountPoint is mounted (in the agent's mount namespace,
/// /proc/self/mountinfo) from the sd's device, and the device's first block can be read.</summary>
/// <remarks>The block's cached page is dropped first (posix_fadvise DONTNEED on the device) so the read reaches
/// the device instead of the page cache; O_DIRECT is not used. The read runs through <see cref="BlockingIo"/>,
/// so a hung device makes the probe time out and its next probes fail at once.</remarks>
internal sealed class SdwProbe(LinuxDriverOptions options) : Probe
{
    private const int BlockSize = 4096;

    private readonly BlockingIo _io = new(options.Time);

    public override string Type => "sdw";

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var sd = ProbeParameters.ForTarget("sd", context.Target, context.TargetParameters);
        var device = sd.String("device");
        var mountPoint = sd.String("mountPoint");
        var mounts = Resources.MountEntry.ParseAll(await File.ReadAllTextAsync("/proc/self/mountinfo", cancellationToken));
        var mountFailure = CheckMount(context.Target!, device, mountPoint, mounts, Resolve);
        if (mountFailure is not null)
        {
            return mountFailure;
        }

        return await _io.RunAsync(context.Monitor, $"read of {device}", _ => ReadFirstBlock(device), cancellationToken);
    }

    /// <summary>Null when <paramref name="mountPoint"/>'s top mount comes from <paramref name="device"/>; else why not.</summary>
    public static ProbeResult? CheckMount(string sd, string device, string mountPoint, IReadOnlyList<Resources.MountEntry> mounts, Func<string, string> resolve)
    {
        var wanted = mountPoint.Length > 1 ? mountPoint.TrimEnd('/') : mountPoint;

        // The last line for a mount point is the mount on top, the one paths there reach.
        var mount = mounts.LastOrDefault(m => m.MountPoint == wanted);
        if (mount is null)
        {
            return ProbeResult.Failed($"sd {sd}: nothing is mounted on {mountPoint}");
        }

        return resolve(mount.Source) == resolve(device)
            ? null
            : ProbeResult.Failed($"sd {sd}: {mountPoint} holds {mount.Source} ({mount.FsType}), not {device}");
    }

    private static string Resolve(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static ProbeResult ReadFirstBlock(string device)
    {
        try
        {
            using var handle = File.OpenHandle(device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            _ = ProbeNative.Fadvise(handle.DangerousGetHandle(), 0, BlockSize, ProbeNative.FadviseDontNeed);
            var buffer = new byte[BlockSize];
            var n = RandomAccess.Read(handle, buffer, 0);
            return n > 0 ? ProbeResult.Ok($"{device}: read {n} bytes") : ProbeResult.Failed($"{device}: the device is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ProbeResult.Failed($"read {device}: {e.Message}");
        }
    }
}
