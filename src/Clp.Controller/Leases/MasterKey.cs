using System.Security.Cryptography;
using Clp.Core.Security;

namespace Clp.Controller.Leases;

/// <summary>The API's master key, from which the heartbeat secrets and renewal keys are derived
/// (<see cref="HeartbeatKeys"/>): 32 random bytes in a file only the API's user can read, created on first
/// use. Losing the file changes every key: agents get the new ones when they join again.</summary>
/// <remarks>A multi-replica API (a later issue) must share this key (e.g. in its store) so that every
/// replica verifies the same tokens.</remarks>
public sealed class MasterKey
{
    public const string FileName = "master.key";

    private readonly Lazy<byte[]> _key;

    public MasterKey(string directory) => _key = new Lazy<byte[]>(() => LoadOrCreate(Path.Combine(directory, FileName)));

    public byte[] Value => _key.Value;

    private static byte[] LoadOrCreate(string path)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllBytes(path);
                if (existing.Length == HeartbeatKeys.KeyBytes)
                {
                    return existing;
                }

                throw new InvalidOperationException($"{path} holds {existing.Length} bytes, not {HeartbeatKeys.KeyBytes}: restore it or delete it (agents then get new keys when they join)");
            }

            // Written to a private temporary file, then linked into place: a reader never sees half a key,
            // and of two processes creating it at once, one wins and the other reads the winner's.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            var key = RandomNumberGenerator.GetBytes(HeartbeatKeys.KeyBytes);
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(key);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        throw new InvalidOperationException($"could not create or read {path}");
    }
}
