using Clp.Core.Drivers;
using Clp.Drivers.Linux.Shell;
using Microsoft.Extensions.Logging;

namespace Clp.Drivers.Linux.Resources;

/// <summary>The <c>sd</c> (disk) driver: checks a block device's file system, mounts it on the active server and
/// unmounts it on deactivation, killing the processes that hold it open.</summary>
/// <remarks>
/// Activation: the device already mounted on <c>mountPoint</c> is success; anything else mounted there, or the
/// device mounted elsewhere, fails (mounting a shared disk twice corrupts it). Then <c>e2fsck -p</c> (ext*) or
/// <c>fsck -a -t TYPE</c> when <c>fsck</c> is true (exit 0 to 3 pass, 2 and 3 are logged; 4 and above fail;
/// <c>fsckTimeoutSeconds</c> kills it), the mount point is created, and <c>mount -t fsType [-o mountOptions]</c>.
/// Deactivation: <c>umount</c>; while it fails, SIGTERM then SIGKILL to the holders (<c>fuser -M -k -m</c>; -M
/// keeps fuser from touching the parent file system when nothing is mounted), retried for
/// <see cref="TermWait"/> then <see cref="KillWait"/>, then failure naming who still holds it.
/// Probe: <c>/proc/self/mountinfo</c> shows the device (by major:minor or resolved path) on the mount point.
/// Mounts are per mount namespace: the agent must run in the namespace the applications use.
/// </remarks>
public sealed partial class DiskDriver(LinuxDriverOptions options) : IResourceDriver
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(200);
    private readonly ILogger _log = options.Loggers.CreateLogger<DiskDriver>();

    public string Type => "sd";

    /// <summary>How long holders get after SIGTERM before SIGKILL. Default 3 s.</summary>
    public TimeSpan TermWait { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long umount is retried after SIGKILL of the holders. Default 3 s.</summary>
    public TimeSpan KillWait { get; init; } = TimeSpan.FromSeconds(3);

    public async Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var (device, mountPoint) = Target(context);
        var mounts = MountEntry.ReadAll();
        var onPoint = mounts.LastOrDefault(m => m.MountPoint == mountPoint);
        if (onPoint is not null && device.IsMountedBy(onPoint))
        {
            return;
        }

        if (onPoint is not null)
        {
            throw new DriverException($"sd {context.Resource}: {mountPoint} already has {onPoint.Source} ({onPoint.FsType}) mounted on it");
        }

        if (mounts.FirstOrDefault(device.IsMountedBy) is { } elsewhere)
        {
            throw new DriverException($"sd {context.Resource}: {device.Given} is already mounted on {elsewhere.MountPoint}");
        }

        if (!File.Exists(device.RealPath))
        {
            throw new DriverException($"sd {context.Resource}: device {device.Given} does not exist on this server");
        }

        var fsType = context.OptionalString("fsType") ?? "ext4";
        if (context.Boolean("fsck", true))
        {
            // fsck repairs the file system: never on a disk another server may have mounted meanwhile.
            options.Gate.Check($"sd {context.Resource}", $"fsck {device.Given}");
            await CheckAsync(context, device.Given, fsType, cancellationToken);
        }

        Directory.CreateDirectory(mountPoint);
        List<string> arguments = ["-t", fsType];
        if (context.OptionalString("mountOptions") is { Length: > 0 } mountOptions)
        {
            arguments.AddRange(["-o", mountOptions]);
        }

        options.Gate.Check($"sd {context.Resource}", $"mount {device.Given} {mountPoint}");
        var result = await Command.RunAsync("mount", [.. arguments, device.Given, mountPoint], cancellationToken);
        if (!result.Succeeded)
        {
            throw new DriverException($"sd {context.Resource}: mount {device.Given} on {mountPoint} failed ({result.ExitCode}): {result.Summary}");
        }

        LogMounted(context.Resource, device.Given, mountPoint);
    }

    public async Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var (device, mountPoint) = Target(context);
        if (!IsMounted(device, mountPoint))
        {
            return;
        }

        if (await UnmountAsync(device, mountPoint, cancellationToken) is null)
        {
            return;
        }

        await Fuser(mountPoint, "-TERM", cancellationToken);
        if (await RetryUnmountAsync(device, mountPoint, TermWait, cancellationToken) is null)
        {
            return;
        }

        await Fuser(mountPoint, "-KILL", cancellationToken);
        if (await RetryUnmountAsync(device, mountPoint, KillWait, cancellationToken) is not { } error)
        {
            return;
        }

        var holders = await Command.RunAsync("fuser", ["-M", "-v", "-m", mountPoint], cancellationToken);
        throw new DriverException($"sd {context.Resource}: {mountPoint} is still mounted after SIGTERM and SIGKILL of its users: {error}; "
            + $"held by: {(holders.StandardOutput + holders.StandardError).Trim()}");
    }

    public Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var (device, mountPoint) = Target(context);
        var onPoint = MountEntry.ReadAll().LastOrDefault(m => m.MountPoint == mountPoint);
        return Task.FromResult(onPoint switch
        {
            null => ProbeResult.Failed($"nothing is mounted on {mountPoint}"),
            _ when device.IsMountedBy(onPoint) => ProbeResult.Ok($"{device.Given} is mounted on {mountPoint}"),
            _ => ProbeResult.Failed($"{mountPoint} has {onPoint.Source} mounted, not {device.Given}"),
        });
    }

    private static (BlockDevice Device, string MountPoint) Target(ResourceContext context) =>
        (BlockDevice.Resolve(context.RequiredString("device")), BlockDevice.Canonical(context.RequiredString("mountPoint")));

    private static bool IsMounted(BlockDevice device, string mountPoint) =>
        MountEntry.ReadAll().LastOrDefault(m => m.MountPoint == mountPoint) is { } top && device.IsMountedBy(top);

    /// <summary>Null when the device is no longer mounted there, else umount's complaint.</summary>
    private static async Task<string?> UnmountAsync(BlockDevice device, string mountPoint, CancellationToken cancellationToken)
    {
        var result = await Command.RunAsync("umount", [mountPoint], cancellationToken);
        return result.Succeeded || !IsMounted(device, mountPoint) ? null : result.Summary;
    }

    private async Task<string?> RetryUnmountAsync(BlockDevice device, string mountPoint, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = options.Time.GetTimestamp();
        while (true)
        {
            var error = await UnmountAsync(device, mountPoint, cancellationToken);
            if (error is null || options.Time.GetElapsedTime(start) >= limit)
            {
                return error;
            }

            await Task.Delay(Retry, options.Time, cancellationToken);
        }
    }

    private static async Task Fuser(string mountPoint, string signal, CancellationToken cancellationToken) =>
        // Exit 1 means nobody held it: nothing to do, not an error.
        _ = await Command.RunAsync("fuser", ["-M", "-k", signal, "-m", mountPoint], cancellationToken);

    private async Task CheckAsync(ResourceContext context, string device, string fsType, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(context.Integer("fsckTimeoutSeconds", 3600));
        (string File, string[] Arguments) fsck = fsType.StartsWith("ext", StringComparison.Ordinal)
            ? ("e2fsck", ["-p", device])
            : ("fsck", ["-a", "-t", fsType, device]);
        using var deadline = new CancellationTokenSource(timeout, options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        CommandResult result;
        try
        {
            result = await Command.RunAsync(fsck.File, fsck.Arguments, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DriverException($"sd {context.Resource}: {fsck.File} {device} did not finish within {timeout.TotalSeconds:0} s (fsckTimeoutSeconds) and was killed");
        }

        // fsck(8): 0 clean, 1 errors corrected, 2 corrected and a reboot is advised (for a mounted root), 4 and up
        // errors left uncorrected or an operational error.
        if (result.ExitCode >= 4)
        {
            throw new DriverException($"sd {context.Resource}: {fsck.File} {device} found errors it could not correct (exit {result.ExitCode}): {result.Summary}");
        }

        if (result.ExitCode != 0)
        {
            LogFsckCorrected(context.Resource, device, result.ExitCode);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "sd {Resource}: mounted {Device} on {MountPoint}")]
    private partial void LogMounted(string resource, string device, string mountPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sd {Resource}: fsck corrected errors on {Device} (exit {Code})")]
    private partial void LogFsckCorrected(string resource, string device, int code);
}
