using System.Text;

namespace Clp.FenceGuard.Hosting;

/// <summary>Makes this process the one fence guard of its server: an exclusive flock on
/// <c>{state}/fence-guard.lock</c> (.NET takes it for <see cref="FileShare.None"/>) held for the process's
/// lifetime, with the guard's PID written into it (the agent and the tests read it).</summary>
public sealed class GuardLock : IDisposable
{
    private readonly FileStream _file;

    private GuardLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or returns null when another guard holds it.</summary>
    public static GuardLock? TryAcquire(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }

        file.SetLength(0);
        file.Write(Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
        file.Flush(flushToDisk: true);
        return new GuardLock(file);
    }

    public void Dispose() => _file.Dispose();
}
