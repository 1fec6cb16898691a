using System.Runtime.InteropServices;

namespace Clp.Drivers.Linux.Monitors;

/// <summary>The libc calls of the probes that .NET does not expose (64-bit Linux layouts).</summary>
internal static partial class ProbeNative
{
    public const int FadviseDontNeed = 4;

    /// <summary>posix_fadvise(2); returns an errno value, 0 on success.</summary>
    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    public static partial int Fadvise(nint fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(nint fd);

    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int StatVfs(string path, out StatVfsBuffer buffer);

    /// <summary>struct statvfs on 64-bit glibc and musl: eleven 8-byte fields and spare space.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatVfsBuffer
    {
        public ulong BlockSize;
        public ulong FragmentSize;
        public ulong Blocks;
        public ulong BlocksFree;
        public ulong BlocksAvailable;
        public ulong Files;
        public ulong FilesFree;
        public ulong FilesAvailable;
        public ulong FileSystemId;
        public ulong Flags;
        public ulong NameMax;
        public ulong Spare0;
        public ulong Spare1;
        public ulong Spare2;
    }
}
