namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>A small tmpfs mounted on a fresh temp folder (root only): a file system the tests can fill or make
/// read-only without touching any real disk. Disposing unmounts it (lazily if busy) and deletes the folder.</summary>
internal sealed class TinyFileSystem : IAsyncDisposable
{
    private TinyFileSystem(string path) => Path = path;

    public string Path { get; }

    public static async Task<TinyFileSystem> MountAsync(string options = "size=256k")
    {
        var dir = Directory.CreateTempSubdirectory("clp-tinyfs-").FullName;
        try
        {
            await ProbeKit.Sh("mount", "-t", "tmpfs", "-o", options, "clp-test", dir);
        }
        catch
        {
            Directory.Delete(dir);
            throw;
        }

        return new TinyFileSystem(dir);
    }

    /// <summary>Fills the file system to the last block (the fault "disk full").</summary>
    public async Task FillAsync()
    {
        var (code, _) = await TestNet.RunAsync("dd", ["if=/dev/zero", $"of={System.IO.Path.Combine(Path, "filler")}", "bs=4k"]);
        Assert.NotEqual(0, code); // dd stops at ENOSPC.
    }

    public async ValueTask DisposeAsync()
    {
        var (code, _) = await TestNet.RunAsync("umount", [Path]);
        if (code != 0)
        {
            await TestNet.RunAsync("umount", ["-l", Path]);
        }

        Directory.Delete(Path);
    }
}
