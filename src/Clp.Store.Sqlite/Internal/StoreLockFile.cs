using System.Globalization;
using System.Text;

namespace Clp.Store.Sqlite.Internal;

/// <summary>Holds an exclusive lock on the store's lock file for the store's lifetime.</summary>
/// <remarks>.NET maps <see cref="FileShare.None"/> to <c>flock(LOCK_EX | LOCK_NB)</c> on Unix and to a
/// share-mode open on Windows, so a second open fails at once, also inside one process. The kernel drops
/// the lock when the owner dies (even by SIGKILL), so a stale lock file never blocks a restart. The lock is
/// advisory on Unix: it stops other CLP processes, not an operator's <c>sqlite3</c> shell.</remarks>
internal sealed class StoreLockFile : IDisposable
{
    private readonly FileStream _stream;

    private StoreLockFile(FileStream stream) => _stream = stream;

    /// <exception cref="StoreLockedException">The lock is held elsewhere.</exception>
    public static StoreLockFile Acquire(string databasePath, string lockFilePath)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new StoreLockedException(databasePath, lockFilePath, ex);
        }

        // The owner's pid, for an operator reading the file; nothing depends on it.
        stream.SetLength(0);
        stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        stream.Flush();
        return new StoreLockFile(stream);
    }

    public void Dispose() => _stream.Dispose();
}
