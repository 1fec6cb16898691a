using System.Text;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Partitions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Drivers.Linux.Tests.Partitions;

/// <summary>The Com resolver's serial line over a real pseudo-terminal pair: "server1" holds the master
/// end, "server2" opens the slave path as its device. Each server has its own fake clock; the only real
/// waiting is for the kernel to carry bytes between the ends (poll, bounded).</summary>
public sealed class SerialHeartbeatLineTests : IDisposable
{
    private const int CarryMs = 5000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes($"secret-{Guid.NewGuid():N}");
    private static readonly NpExchange Both = new(["server1", "server2"], Secret);
    private readonly string _cluster = $"c{Guid.NewGuid():N}"[..12];
    private readonly SerialDevice _master;
    private readonly string _slavePath;
    private readonly List<IDisposable> _open = [];

    public SerialHeartbeatLineTests()
    {
        (_master, _slavePath) = SerialDevice.OpenPseudoTerminal();
        _open.Add(_master);
    }

    public void Dispose() => _open.ForEach(o => o.Dispose());

    private NpMediumContext Context(string server, string location, TimeProvider clock) => new(_cluster, server, "com1", location, Budget, clock);

    /// <summary>server1 on the master end (handed over), server2 on the slave path (opened by the line).</summary>
    private (SerialHeartbeatLine A, FakeTimeProvider ClockA, SerialHeartbeatLine B, FakeTimeProvider ClockB) Pair()
    {
        var clockA = new FakeTimeProvider();
        var clockB = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(40));
        var a = new SerialHeartbeatLine(Context("server1", "/dev/pts/master", clockA), () => _master);
        var b = new SerialHeartbeatLine(Context("server2", _slavePath, clockB));
        _open.Add(a);
        _open.Add(b);
        return (a, clockA, b, clockB);
    }

    /// <summary>The receiver exchanges once the sender's frame has reached it.</summary>
    private static void Carry(SerialHeartbeatLine receiver)
    {
        Assert.True(receiver.WaitForInput(CarryMs), $"no frame reached the receiver within {CarryMs} ms");
        receiver.Exchange(Both);
    }

    /// <summary>Both ends exchange in turn, each once the other's frame reached it, until both see the line
    /// up (the kernel carries a pseudo-terminal's bytes asynchronously, so a frame may arrive one round late).</summary>
    private static void BringUp(SerialHeartbeatLine a, SerialHeartbeatLine b)
    {
        b.Exchange(Both); // opens the slave end (flushing what was queued before) and sends
        a.Exchange(Both);
        for (var round = 0; round < 10 && (a.Read(Deadline, Window).Alive.Count == 0 || b.Read(Deadline, Window).Alive.Count == 0); round++)
        {
            Carry(b);
            Carry(a);
        }

        Carry(b);
    }

    [Fact]
    public void Exchange_BothEndsExchange_LineIsUpOnBoth()
    {
        var (a, _, b, _) = Pair();

        BringUp(a, b);

        Assert.Equal(["server2"], a.Read(Deadline, Window).Alive);
        Assert.Equal(["server1"], b.Read(Deadline, Window).Alive);
        Assert.True(a.Read(Deadline, Window).OwnCheck);
        Assert.True(b.Read(Deadline, Window).OwnCheck);
    }

    [Fact]
    public void Exchange_FrameWithoutAnEchoOfThisEnd_LineIsNotUp()
    {
        var (_, _, b, _) = Pair();
        b.Exchange(Both);

        // server1 is heard, but it has not echoed a frame of server2: only one direction is known to work.
        WriteAndCarry(b, new ComFrame(_cluster, "com1", "server1", 42, 1, 0, 0).Encode(ComFrame.Key(Secret)));

        Assert.Empty(b.Read(Deadline, Window).Alive);
        Assert.Equal((0, 0, 0), b.Ignored);
    }

    [Fact]
    public void Read_OtherEndStalls_LineDownOneTickPastTheWindow_OwnCheckStillPasses()
    {
        var (a, _, b, clockB) = Pair();
        BringUp(a, b);

        // server1 stops sending; server2 keeps exchanging on its own clock.
        clockB.Advance(Window);
        b.Exchange(Both);
        Assert.Equal(["server1"], b.Read(Deadline, Window).Alive);

        clockB.Advance(TimeSpan.FromTicks(1));
        var reading = b.Read(Deadline, Window);
        Assert.Empty(reading.Alive);
        Assert.True(reading.OwnCheck);
    }

    [Fact]
    public void Read_OtherEndCloses_LineDownAfterTheWindow()
    {
        var (a, _, b, clockB) = Pair();
        BringUp(a, b);

        a.Dispose(); // closes the master end: the slave hangs up
        b.Exchange(Both);
        clockB.Advance(Window + TimeSpan.FromTicks(1));
        b.Exchange(Both);

        Assert.Empty(b.Read(Deadline, Window).Alive);
    }

    [Fact]
    public void Exchange_GarbageForgedAndReplayedFrames_AreIgnored_ThenAValidReplyRaisesTheLine()
    {
        var clockB = new FakeTimeProvider();
        var b = new SerialHeartbeatLine(Context("server2", _slavePath, clockB));
        _open.Add(b);
        b.Exchange(Both);
        Assert.True(_master.WaitReadable(CarryMs), "server2's first frame never reached the master end");
        var sent = ReadLines(_master).Select(l => ComFrame.TryDecode(Encoding.ASCII.GetBytes(l), ComFrame.Key(Secret), out var f) == ComFrameOutcome.Valid ? f : null).Last(f => f is not null)!;

        var key = ComFrame.Key(Secret);
        var reply = new ComFrame(_cluster, "com1", "server1", 42, 7, sent.Session, sent.Sequence);
        var forgedKey = ComFrame.Key(Encoding.ASCII.GetBytes("not the secret"));
        var tampered = Encoding.ASCII.GetString(reply.Encode(key)).Replace(" 7 ", " 8 ", StringComparison.Ordinal);
        WriteAndCarry(b,
            Encoding.ASCII.GetBytes("line noise\n"),
            [0xff, 0x00, 0x13, (byte)'\n'],
            Encoding.ASCII.GetBytes(new string('x', 2000) + "\n"),
            reply.Encode(forgedKey),
            Encoding.ASCII.GetBytes(tampered),
            (reply with { Cluster = "othercluster" }).Encode(key),
            (reply with { Sender = "server2" }).Encode(key));

        Assert.Empty(b.Read(Deadline, Window).Alive);
        Assert.Equal(2, b.Ignored.Forged);
        Assert.Equal(5, b.Ignored.Garbage);

        WriteAndCarry(b, reply.Encode(key));
        Assert.Equal(["server1"], b.Read(Deadline, Window).Alive);

        WriteAndCarry(b, reply.Encode(key), (reply with { Sequence = 6 }).Encode(key));
        Assert.Equal(2, b.Ignored.Replayed);
    }

    [Fact]
    public void Exchange_OpeningTakesLongerThanTheBudget_OwnCheckFails()
    {
        var clock = new FakeTimeProvider();
        var slow = new SerialHeartbeatLine(Context("server2", _slavePath, clock), () =>
        {
            clock.Advance(Budget + TimeSpan.FromTicks(1));
            return SerialDevice.Open(_slavePath);
        });
        _open.Add(slow);

        slow.Exchange(Both);

        Assert.False(slow.Read(Deadline, Window).OwnCheck);
    }

    [Fact]
    public void Exchange_NotATerminal_OwnCheckFails()
    {
        var file = Path.GetTempFileName();
        try
        {
            var line = new SerialHeartbeatLine(Context("server2", file, new FakeTimeProvider()));
            _open.Add(line);

            line.Exchange(Both);

            Assert.False(line.Read(Deadline, Window).OwnCheck);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private void WriteAndCarry(SerialHeartbeatLine receiver, params byte[][] lines)
    {
        foreach (var line in lines)
        {
            Assert.Equal(line.Length, _master.Write(line));
        }

        Carry(receiver);
        // Everything written must have been read: the last line is the one that counts.
        while (receiver.WaitForInput(200))
        {
            receiver.Exchange(Both);
        }
    }

    private static List<string> ReadLines(SerialDevice device)
    {
        var buffer = new byte[4096];
        var n = device.Read(buffer);
        return [.. Encoding.ASCII.GetString(buffer, 0, n).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
