using Clp.Core.Drivers;
using Clp.Drivers.Linux.Partitions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Drivers.Linux.Tests.Partitions;

/// <summary>The Disk resolver's heartbeat area on a real file, with two or three writers in this process
/// standing for servers, each on its own fake clock (liveness is measured on the reader's clock alone).</summary>
public sealed class DiskHeartbeatAreaTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clp-np-disk-");
    private readonly string _cluster = $"c{Guid.NewGuid():N}"[..12];
    private readonly List<IDisposable> _open = [];

    private string AreaPath => Path.Combine(_dir.FullName, "hb.area");

    public void Dispose()
    {
        _open.ForEach(o => o.Dispose());
        _dir.Delete(recursive: true);
    }

    private (DiskHeartbeatArea Area, FakeTimeProvider Clock) Server(string name, string? path = null, DateTimeOffset? start = null)
    {
        var clock = new FakeTimeProvider(start ?? DateTimeOffset.UnixEpoch.AddDays(1));
        var area = new DiskHeartbeatArea(new NpMediumContext(_cluster, name, "disk1", path ?? AreaPath, Budget, clock));
        _open.Add(area);
        return (area, clock);
    }

    private static NpExchange Servers(params string[] names) => new(names, null);

    [Fact]
    public void Exchange_TwoServers_EachSeesBothAlive()
    {
        var (a, _) = Server("server1");
        var (b, _) = Server("server2", start: DateTimeOffset.UnixEpoch.AddYears(30));
        var both = Servers("server1", "server2");

        a.Exchange(both);
        b.Exchange(both);
        a.Exchange(both);

        Assert.Equal(["server1", "server2"], a.Read(Deadline, Window).Alive);
        Assert.Equal(["server1", "server2"], b.Read(Deadline, Window).Alive);
        Assert.True(a.Read(Deadline, Window).OwnCheck);
        Assert.NotEqual(a.Slot, b.Slot);
    }

    [Fact]
    public void Read_PeerStopsWriting_AliveAtTheWindow_DeadOneTickPast()
    {
        var (a, clockA) = Server("server1");
        var (b, _) = Server("server2");
        var both = Servers("server1", "server2");
        b.Exchange(both);
        a.Exchange(both); // server1 sees server2's counter change now (first sight)

        // server2 stops; server1 keeps writing and reading every interval on its own clock.
        for (var elapsed = TimeSpan.Zero; elapsed < Window; elapsed += TimeSpan.FromSeconds(2))
        {
            clockA.Advance(TimeSpan.FromSeconds(2));
            a.Exchange(both);
        }

        Assert.Contains("server2", a.Read(Deadline, Window).Alive);
        clockA.Advance(TimeSpan.FromTicks(1));
        Assert.DoesNotContain("server2", a.Read(Deadline, Window).Alive);
        Assert.Contains("server1", a.Read(Deadline, Window).Alive);
    }

    [Fact]
    public void Read_PeerKeepsWriting_StaysAliveLongPastTheWindow()
    {
        var (a, clockA) = Server("server1");
        var (b, clockB) = Server("server2");
        var both = Servers("server1", "server2");
        for (var i = 0; i < 30; i++)
        {
            clockA.Advance(TimeSpan.FromSeconds(3));
            clockB.Advance(TimeSpan.FromSeconds(3));
            b.Exchange(both);
            a.Exchange(both);
            Assert.Equal(["server1", "server2"], a.Read(Deadline, Window).Alive);
        }
    }

    [Fact]
    public void Read_NoExchangeWithinTheDeadline_OwnCheckFails_OneTickPast()
    {
        var (a, clock) = Server("server1");
        a.Exchange(Servers("server1"));

        clock.Advance(Deadline);
        Assert.True(a.Read(Deadline, Window).OwnCheck);
        clock.Advance(TimeSpan.FromTicks(1));
        var reading = a.Read(Deadline, Window);
        Assert.False(reading.OwnCheck);
        Assert.DoesNotContain("server1", reading.Alive);
    }

    [Fact]
    public void Exchange_WriteFails_OwnCheckFails()
    {
        // /dev/full reads zeros and refuses every write with ENOSPC, even for root.
        var (a, _) = Server("server1", path: "/dev/full");

        a.Exchange(Servers("server1"));

        var reading = a.Read(Deadline, Window);
        Assert.False(reading.OwnCheck);
        Assert.Empty(reading.Alive);
    }

    [Fact]
    public void Exchange_MissingDirectory_OwnCheckFails_AndPassesOnceThePathWorks()
    {
        var path = Path.Combine(_dir.FullName, "not-yet", "hb.area");
        var (a, _) = Server("server1", path: path);

        a.Exchange(Servers("server1"));
        Assert.False(a.Read(Deadline, Window).OwnCheck);

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        a.Exchange(Servers("server1"));
        Assert.True(a.Read(Deadline, Window).OwnCheck);
    }

    [Fact]
    public void Exchange_AServerIsAdded_NobodyMoves()
    {
        var (a, _) = Server("server1");
        var (b, _) = Server("server2");
        a.Exchange(Servers("server1", "server2"));
        b.Exchange(Servers("server1", "server2"));
        var (slotA, slotB) = (a.Slot, b.Slot);

        var (c, _) = Server("server3");
        var three = Servers("server1", "server2", "server3");
        c.Exchange(three);
        a.Exchange(three);
        b.Exchange(three);

        Assert.Equal(slotA, a.Slot);
        Assert.Equal(slotB, b.Slot);
        Assert.Equal(3, new[] { a.Slot, b.Slot, c.Slot }.Distinct().Count());
        Assert.Equal(["server1", "server2", "server3"], a.Read(Deadline, Window).Alive);
    }

    [Fact]
    public void Exchange_TwoNamesHashingToOneSlot_TakeDistinctSlots_AndARestartKeepsItsSlot()
    {
        var first = "server1";
        var second = Enumerable.Range(0, 10_000).Select(i => $"s{i}").First(n => DiskSlot.PreferredIndex(n) == DiskSlot.PreferredIndex(first));
        var (a, _) = Server(first);
        var (b, _) = Server(second);
        var both = Servers(first, second);

        a.Exchange(both);
        b.Exchange(both);
        a.Exchange(both);

        Assert.Equal(DiskSlot.PreferredIndex(first), a.Slot);
        Assert.Equal((DiskSlot.PreferredIndex(first) + 1) % DiskSlot.Count, b.Slot);
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), a.Read(Deadline, Window).Alive.Order(StringComparer.Ordinal));

        var (restarted, _) = Server(second);
        restarted.Exchange(both);
        Assert.Equal(b.Slot, restarted.Slot);
    }

    [Fact]
    public void Exchange_SlotOfARemovedServer_IsReused()
    {
        var removed = "server9";
        var newcomer = Enumerable.Range(0, 10_000).Select(i => $"n{i}").First(n => DiskSlot.PreferredIndex(n) == DiskSlot.PreferredIndex(removed));
        var (old, _) = Server(removed);
        old.Exchange(Servers(removed));

        var (fresh, _) = Server(newcomer);
        fresh.Exchange(Servers(newcomer, "server1"));

        Assert.Equal(old.Slot, fresh.Slot);
    }

    [Fact]
    public void Exchange_ServerListWithoutItself_TakesNoSlotOfAnotherServer()
    {
        var (a, _) = Server("server1");
        a.Exchange(Servers("server1"));
        var colliding = Enumerable.Range(0, 10_000).Select(i => $"m{i}").First(n => DiskSlot.PreferredIndex(n) == a.Slot);

        var (b, _) = Server(colliding);
        b.Exchange(Servers()); // a view that does not know the servers yet

        Assert.NotEqual(a.Slot, b.Slot);
    }

    [Fact]
    public void Exchange_TornOrForeignBytes_AreIgnored_AndTheOwnerRewritesItsSlot()
    {
        var (a, clockA) = Server("server1");
        var (b, _) = Server("server2");
        var both = Servers("server1", "server2");
        a.Exchange(both);
        b.Exchange(both);

        // Garbage over server2's slot (a torn write).
        using (var file = File.OpenHandle(AreaPath, FileMode.Open, FileAccess.ReadWrite))
        {
            var junk = new byte[DiskSlot.Size];
            Random.Shared.NextBytes(junk);
            RandomAccess.Write(file, junk, (long)b.Slot!.Value * DiskSlot.Size);
        }

        clockA.Advance(Window + TimeSpan.FromSeconds(1));
        a.Exchange(both);
        Assert.DoesNotContain("server2", a.Read(Deadline, Window).Alive);

        b.Exchange(both);
        a.Exchange(both);
        Assert.Contains("server2", a.Read(Deadline, Window).Alive);
    }

    [Fact]
    public void Exchange_AnotherClustersSlots_AreNeitherAliveNorTaken()
    {
        var (a, _) = Server("server1");
        var foreignClock = new FakeTimeProvider();
        using var foreign = new DiskHeartbeatArea(new NpMediumContext("other", "server2", "disk1", AreaPath, Budget, foreignClock));
        foreign.Exchange(Servers("server2"));

        a.Exchange(Servers("server1", "server2"));

        Assert.Equal(["server1"], a.Read(Deadline, Window).Alive);
        Assert.NotEqual(foreign.Slot, a.Slot);
    }
}
