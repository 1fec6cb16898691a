using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Clp.Agent.Host.Locking;

/// <summary>Makes this process the one clp-agent of its server on this machine (DESIGN "Leases and safety"
/// rule 1): an exclusive, non-blocking flock on <c>{state}/agent.lock</c> (.NET takes it for
/// <see cref="FileShare.None"/>), held until the process ends, with the holder's PID written into the file.</summary>
/// <remarks>The kernel drops a flock when its process dies, so a SIGKILLed agent never blocks its restart; a
/// hung (or SIGSTOPped) agent still holds it, and a second one refuses to start rather than run beside it.</remarks>
public sealed class AgentLock : IDisposable
{
    private readonly FileStream _file;

    private AgentLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or returns null and the PID written by the agent that holds it (null if unknown).</summary>
    public static AgentLock? TryAcquire(string path, out int? holder)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
        }
        catch (IOException)
        {
            holder = ReadHolder(path);
            return null;
        }

        holder = null;
        var pid = Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
        file.SetLength(0);
        file.Write(pid);
        file.Flush(flushToDisk: true);
        return new AgentLock(file);
    }

    /// <summary>Reads the holder's PID without a flock of its own (which the holder's exclusive one would refuse).</summary>
    private static int? ReadHolder(string path)
    {
        var fd = Libc.Open(path, Libc.ReadOnly);
        if (fd < 0)
        {
            return null;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = new byte[32];
        var read = RandomAccess.Read(handle, buffer, 0);
        return int.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), out var pid) ? pid : null;
    }

    /// <summary>Releases the lock (the process's end does the same).</summary>
    public void Dispose() => _file.Dispose();
}
