using System.Runtime.InteropServices;

namespace Clp.Drivers.Linux.Partitions;

/// <summary>A serial device (or either end of a pseudo-terminal) opened raw and non-blocking: no echo, no
/// line editing, no signals, 8 bits, receiver on, modem lines ignored; the speed stays as configured.</summary>
/// <remarks>Reads and writes never wait: a read returns what has arrived, a write that would block (the
/// other end reads nothing and the buffer is full) writes what fits. An I/O error (EIO: a hung-up device,
/// a pseudo-terminal whose other end closed) is thrown as <see cref="IOException"/>.</remarks>
internal sealed unsafe class SerialDevice : IDisposable
{
    private int _fd;

    private SerialDevice(int fd) => _fd = fd;

    /// <summary>Opens <paramref name="path"/> read-write without making it the controlling terminal.</summary>
    public static SerialDevice Open(string path)
    {
        var fd = NpNative.Open(path, NpNative.ORdWr | NpNative.ONoCtty | NpNative.ONonBlock | NpNative.OCloExec);
        if (fd < 0)
        {
            throw Error($"open {path}");
        }

        var device = new SerialDevice(fd);
        try
        {
            device.MakeRaw(path);
        }
        catch
        {
            device.Dispose();
            throw;
        }

        return device;
    }

    /// <summary>Takes ownership of an open descriptor (the master end of a pseudo-terminal in tests).</summary>
    public static SerialDevice FromDescriptor(int fd) => new(fd);

    /// <summary>A new pseudo-terminal pair: the master end, and the path of its slave end.</summary>
    public static (SerialDevice Master, string SlavePath) OpenPseudoTerminal()
    {
        var fd = NpNative.PosixOpenPt(NpNative.ORdWr | NpNative.ONoCtty | NpNative.ONonBlock | NpNative.OCloExec);
        if (fd < 0)
        {
            throw Error("posix_openpt");
        }

        var master = new SerialDevice(fd);
        try
        {
            if (NpNative.GrantPt(fd) != 0 || NpNative.UnlockPt(fd) != 0)
            {
                throw Error("grantpt/unlockpt");
            }

            var buffer = stackalloc byte[128];
            var rc = NpNative.PtsNameR(fd, buffer, 128);
            if (rc != 0)
            {
                throw new IOException($"ptsname_r failed: errno {rc}");
            }

            return (master, Marshal.PtrToStringUTF8((nint)buffer)!);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>Reads what has arrived into <paramref name="buffer"/>; 0 when nothing has.</summary>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = NpNative.Read(Fd(), p, buffer.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == NpNative.EAgain)
                {
                    return 0;
                }

                if (errno != NpNative.EIntr)
                {
                    throw Error("read", errno);
                }
            }
        }
    }

    /// <summary>Writes as much of <paramref name="data"/> as the device takes now; returns how much.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        var written = 0;
        fixed (byte* p = data)
        {
            while (written < data.Length)
            {
                var n = NpNative.Write(Fd(), p + written, data.Length - written);
                if (n >= 0)
                {
                    written += (int)n;
                    continue;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == NpNative.EAgain)
                {
                    break;
                }

                if (errno != NpNative.EIntr)
                {
                    throw Error("write", errno);
                }
            }
        }

        return written;
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for input (or a hang-up) to read; for tests, which
    /// must let the kernel carry a frame from one end of a pseudo-terminal to the other.</summary>
    internal bool WaitReadable(int timeoutMs)
    {
        var poll = new NpNative.PollFd { Fd = Fd(), Events = NpNative.PollIn };
        return NpNative.Poll(&poll, 1, timeoutMs) > 0;
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = NpNative.Close(fd);
        }
    }

    private void MakeRaw(string path)
    {
        if (NpNative.IsATty(_fd) != 1)
        {
            throw new IOException($"{path} is not a terminal (serial) device");
        }

        var termios = stackalloc byte[NpNative.TermiosSize];
        if (NpNative.TcGetAttr(_fd, termios) != 0)
        {
            throw Error($"tcgetattr {path}");
        }

        NpNative.CfMakeRaw(termios);
        var cflag = (uint*)(termios + NpNative.TermiosCflagOffset);
        *cflag |= NpNative.CRead | NpNative.CLocal;
        if (NpNative.TcSetAttr(_fd, NpNative.TcsaNow, termios) != 0)
        {
            throw Error($"tcsetattr {path}");
        }

        // Whatever was queued before this agent opened the line is stale.
        _ = NpNative.TcFlush(_fd, NpNative.TciOFlush);
    }

    private int Fd() => _fd >= 0 ? _fd : throw new ObjectDisposedException(nameof(SerialDevice));

    private static IOException Error(string what) => Error(what, Marshal.GetLastPInvokeError());

    private static IOException Error(string what, int errno) =>
        new($"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
}
