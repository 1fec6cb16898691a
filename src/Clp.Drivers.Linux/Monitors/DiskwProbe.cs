using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>diskw</c>: writes sizeBytes of fresh random data to path, fsyncs it (fsync=true), reads it back
/// and compares. An I/O error (read-only or full file system, missing folder, EIO) or a mismatch is an error; an
/// I/O still blocked at the monitor's timeout is a stall, reported by the caller as a timeout.</summary>
/// <remarks>The I/O runs on its own thread and the probe stops waiting for it at cancellation: a write stuck in
/// the kernel (a hung device, D state) cannot be interrupted, so while it stays stuck the next probes of the same
/// monitor fail at once ("still blocked", see <see cref="BlockingIo"/>). After the fsync the file's pages are dropped from the page
/// cache (posix_fadvise DONTNEED) so the read goes to the device where the file system allows it; O_DIRECT is
/// not used.</remarks>
internal sealed class DiskwProbe(LinuxDriverOptions options) : Probe
{
    private const int ChunkSize = 1 << 20;

    private readonly BlockingIo _io = new(options.Time);

    public override string Type => "diskw";

    protected override Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var path = parameters.String("path");
        var size = parameters.Integer("sizeBytes");
        var fsync = parameters.Boolean("fsync");
        return _io.RunAsync(context.Monitor, $"I/O on {path}", ct =>
        {
            var start = options.Time.GetTimestamp();
            var failure = WriteReadVerify(path, size, fsync, ct);
            return failure is null
                ? ProbeResult.Ok($"wrote{(fsync ? ", synced" : "")} and read back {size} bytes of {path} in {options.Time.GetElapsedTime(start).TotalMilliseconds:F0} ms")
                : ProbeResult.Failed(failure);
        }, cancellationToken);
    }

    /// <summary>The check itself, blocking; returns why it failed, or null.</summary>
    internal static string? WriteReadVerify(string path, long size, bool fsync, CancellationToken cancellationToken)
    {
        var pattern = new byte[(int)Math.Min(size, ChunkSize)];
        Random.Shared.NextBytes(pattern);
        var phase = "open";
        try
        {
            // bufferSize 0: every Write is a write(2), nothing waits in a user-space buffer.
            using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            phase = "write";
            for (long offset = 0; offset < size; offset += pattern.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                file.Write(pattern, 0, (int)Math.Min(pattern.Length, size - offset));
            }

            phase = "truncate";
            file.SetLength(size);
            if (fsync)
            {
                phase = "fsync";
                file.Flush(flushToDisk: true);
                _ = ProbeNative.Fadvise(file.SafeFileHandle.DangerousGetHandle(), 0, 0, ProbeNative.FadviseDontNeed);
            }

            phase = "read";
            file.Seek(0, SeekOrigin.Begin);
            var read = new byte[pattern.Length];
            for (long offset = 0; offset < size; offset += pattern.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(pattern.Length, size - offset);
                var got = file.ReadAtLeast(read.AsSpan(0, want), want, throwOnEndOfStream: false);
                if (got < want)
                {
                    return $"read {path}: the file ends at {offset + got} bytes, {size} were written";
                }

                if (!read.AsSpan(0, want).SequenceEqual(pattern.AsSpan(0, want)))
                {
                    return $"verify {path}: the bytes read back at offset {offset} differ from those written";
                }
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"{phase} {path}: {e.Message}";
        }
    }
}
