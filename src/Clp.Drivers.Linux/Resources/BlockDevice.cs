namespace Clp.Drivers.Linux.Resources;

/// <summary>A block device named by any path (a /dev/disk/by-uuid link, a device-mapper name ...), resolved to
/// its real node and its major:minor (from <c>/sys/class/block/NAME/dev</c>), which is how mountinfo names it.</summary>
internal sealed record BlockDevice(string Given, string RealPath, string? MajorMinor)
{
    public static BlockDevice Resolve(string path)
    {
        var real = Canonical(path);
        string? majorMinor = null;
        try
        {
            majorMinor = File.ReadAllText($"/sys/class/block/{Path.GetFileName(real)}/dev").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not a block device sysfs knows (or none at all): mounts are matched by their source path then.
        }

        return new BlockDevice(path, real, majorMinor);
    }

    /// <summary>Whether <paramref name="mount"/> is a mount of this device.</summary>
    public bool IsMountedBy(MountEntry mount) =>
        (MajorMinor is not null && mount.MajorMinor == MajorMinor)
        || (mount.Source.StartsWith('/') && Canonical(mount.Source) == RealPath);

    /// <summary>The path with every symbolic link resolved (the path itself when it does not exist).</summary>
    public static string Canonical(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            var resolved = target?.FullName ?? full;
            return resolved.Length > 1 ? resolved.TrimEnd('/') : resolved;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return path;
        }
    }
}
