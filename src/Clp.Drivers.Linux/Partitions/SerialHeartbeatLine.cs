using System.Security.Cryptography;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Partitions;

/// <summary>A Com resolver's serial line on this server (docs/partition-safety.md, section 5): every
/// exchange reads the frames that arrived and writes one authenticated frame (<see cref="ComFrame"/>)
/// echoing the newest frame accepted from the other end. The line is up while a valid frame from the
/// other server arrived within the window and echoes a frame this end sent within the window: both ends
/// hear each other, measured on this server's clock alone.</summary>
/// <remarks>Ignored, and counted: lines that are not frames (noise, a torn frame), frames whose MAC does not
/// verify (forged), frames of another cluster or resolver, this end's own frames (a terminal echoing them),
/// and frames not newer than the last accepted one of their session (replayed). A replayed frame of an old
/// session cannot raise the line: its echo names a frame this end never sent in its current session.
/// The own check (the device is usable) fails when opening, reading or writing the device fails, or an
/// exchange outlasts its budget; the device is reopened at the next exchange. Failure mode operators must
/// know: a line that stays silent is not an error of this server, the Com arbiter just abstains.</remarks>
public sealed class SerialHeartbeatLine : INpMedium
{
    private const int SentHistory = 64;

    private readonly NpMediumContext _context;
    private readonly Func<SerialDevice> _open;
    private readonly Lock _gate = new();
    private readonly OwnCheck _own;
    private readonly ulong _session = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1;
    private readonly Dictionary<long, long> _sent = [];
    private readonly byte[] _pending = new byte[4 * ComFrame.MaxLength];
    private int _pendingLength;
    private bool _discarding;
    private SerialDevice? _device;
    private long _sequence;
    private (string Sender, ulong Session, long Sequence)? _accepted;
    private long? _heardAt;
    private long? _echoSentAt;
    private bool _disposed;

    /// <summary>Opens <see cref="NpMediumContext.Location"/> (the device) at the first exchange.</summary>
    public SerialHeartbeatLine(NpMediumContext context)
        : this(context, () => SerialDevice.Open(context.Location))
    {
    }

    /// <summary>With a device already open (the master end of a pseudo-terminal in tests).</summary>
    internal SerialHeartbeatLine(NpMediumContext context, Func<SerialDevice> open)
    {
        _context = context;
        _open = open;
        _own = new OwnCheck(context.Time, context.ExchangeBudget);
    }

    /// <summary>Lines that were not frames, frames that did not verify, frames not newer than the last.</summary>
    internal (long Garbage, long Forged, long Replayed) Ignored { get; private set; }

    /// <summary>For tests: waits up to <paramref name="timeoutMs"/> until the open device has input to read.</summary>
    internal bool WaitForInput(int timeoutMs)
    {
        SerialDevice? device;
        lock (_gate)
        {
            device = _device;
        }

        return device?.WaitReadable(timeoutMs) ?? false;
    }

    public void Exchange(NpExchange exchange)
    {
        var start = _own.Started();
        try
        {
            SerialDevice device;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                device = _device ??= _open();
            }

            var key = exchange.Secret is null ? null : ComFrame.Key(exchange.Secret);
            Receive(device, key, exchange.Servers);
            if (key is not null)
            {
                Send(device, key);
            }

            _own.Completed(start, failed: false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            lock (_gate)
            {
                _device?.Dispose();
                _device = null;
            }

            _own.Completed(start, failed: true);
        }
    }

    public NpMediumReading Read(TimeSpan ownDeadline, TimeSpan peerWindow)
    {
        var time = _context.Time;
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var up = _accepted is { } peer && _heardAt is { } heard && Age(heard, now) <= peerWindow
                     && _echoSentAt is { } echoed && Age(echoed, now) <= peerWindow;
            return new NpMediumReading(_own.Passes(ownDeadline), up ? [_accepted!.Value.Sender] : []);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _device?.Dispose();
            _device = null;
        }
    }

    private void Receive(SerialDevice device, byte[]? key, IReadOnlyCollection<string> servers)
    {
        Span<byte> chunk = stackalloc byte[512];
        int n;
        while ((n = device.Read(chunk)) > 0)
        {
            foreach (var b in chunk[..n])
            {
                if (b == (byte)'\n')
                {
                    if (!_discarding)
                    {
                        OnLine(_pending.AsSpan(0, _pendingLength), key, servers);
                    }

                    _pendingLength = 0;
                    _discarding = false;
                }
                else if (_pendingLength < _pending.Length && !_discarding)
                {
                    _pending[_pendingLength++] = b;
                }
                else if (!_discarding)
                {
                    // Longer than any frame: noise up to the next newline.
                    _discarding = true;
                    _pendingLength = 0;
                    Ignored = Ignored with { Garbage = Ignored.Garbage + 1 };
                }
            }
        }
    }

    private void OnLine(ReadOnlySpan<byte> line, byte[]? key, IReadOnlyCollection<string> servers)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (key is null || line.IsEmpty)
        {
            return;
        }

        var outcome = ComFrame.TryDecode(line, key, out var frame);
        if (outcome != ComFrameOutcome.Valid)
        {
            Ignored = outcome == ComFrameOutcome.Forged ? Ignored with { Forged = Ignored.Forged + 1 } : Ignored with { Garbage = Ignored.Garbage + 1 };
            return;
        }

        if (!Same(frame!.Cluster, _context.Cluster) || !Same(frame.Resolver, _context.Resolver) || Same(frame.Sender, _context.Server)
            || !servers.Contains(frame.Sender, StringComparer.OrdinalIgnoreCase))
        {
            Ignored = Ignored with { Garbage = Ignored.Garbage + 1 };
            return;
        }

        var now = _context.Time.GetTimestamp();
        lock (_gate)
        {
            if (_accepted is { } last && Same(last.Sender, frame.Sender) && last.Session == frame.Session && frame.Sequence <= last.Sequence)
            {
                Ignored = Ignored with { Replayed = Ignored.Replayed + 1 };
                return;
            }

            _accepted = (frame.Sender, frame.Session, frame.Sequence);
            _heardAt = now;
            _echoSentAt = frame.EchoSession == _session && _sent.TryGetValue(frame.EchoSequence, out var sentAt) ? sentAt : null;
        }
    }

    private void Send(SerialDevice device, byte[] key)
    {
        long sequence;
        (string Sender, ulong Session, long Sequence)? echo;
        lock (_gate)
        {
            sequence = ++_sequence;
            echo = _accepted;
        }

        var frame = new ComFrame(_context.Cluster, _context.Resolver, _context.Server, _session, sequence, echo?.Session ?? 0, echo?.Sequence ?? 0);
        var bytes = frame.Encode(key);
        var sentAt = _context.Time.GetTimestamp();
        var written = device.Write(bytes);
        if (written > 0 && written < bytes.Length)
        {
            // A torn frame: end it so the other side resynchronises at once (it counts one garbage line).
            device.Write("\n"u8);
        }

        lock (_gate)
        {
            if (written == bytes.Length)
            {
                _sent[sequence] = sentAt;
                _sent.Remove(sequence - SentHistory);
            }
        }
    }

    private TimeSpan Age(long timestamp, long now) => _context.Time.GetElapsedTime(timestamp, now);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
