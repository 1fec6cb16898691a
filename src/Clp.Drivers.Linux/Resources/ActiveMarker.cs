namespace Clp.Drivers.Linux.Resources;

/// <summary>The "this resource was started here" file of resources with nothing running to probe (non-resident
/// appli, script): <c>StateDirectory/KIND/RESOURCE.active</c>, written after a successful start and removed
/// after a successful stop.</summary>
/// <remarks>The file holds the kernel's boot id, so a marker left by a power cut does not claim after the
/// reboot that the resource is still active: only a marker of this boot counts.</remarks>
internal sealed class ActiveMarker(string stateDirectory, string kind, string resource)
{
    public string Path { get; } = System.IO.Path.Combine(stateDirectory, kind, FileNames.Safe(resource) + ".active");

    public bool IsSet =>
        File.Exists(Path) && string.Equals(ReadOrNull(Path)?.Trim(), LinuxPlatform.BootId, StringComparison.Ordinal);

    public void Set() => FileNames.WriteAtomically(Path, LinuxPlatform.BootId + "\n");

    public void Clear() => File.Delete(Path);

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
