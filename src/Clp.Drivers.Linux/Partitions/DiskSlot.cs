using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Clp.Drivers.Linux.Partitions;

/// <summary>One server's 512-byte slot of a Disk resolver's heartbeat area: magic <c>CLPDSK01</c>, the
/// cluster name and the server name (a length byte and up to 32 ASCII bytes each), the server's counter
/// (little-endian, +1 per write), zeros, and the first 8 bytes of SHA-256 over the rest: a torn or never
/// written slot does not verify and reads as empty.</summary>
internal sealed record DiskSlot(string Cluster, string Server, ulong Counter)
{
    public const int Size = 512;

    /// <summary>64 slots: a cluster has at most 32 servers, so stale slots of removed servers never crowd
    /// out a new one.</summary>
    public const int Count = 64;

    public const int AreaSize = Size * Count;

    private const int ClusterOffset = 8;
    private const int ServerOffset = 41;
    private const int NameField = 33;
    private const int CounterOffset = 80;
    private const int CheckOffset = Size - 8;
    private static readonly byte[] Magic = "CLPDSK01"u8.ToArray();

    public void Encode(Span<byte> slot)
    {
        slot[..Size].Clear();
        Magic.CopyTo(slot);
        WriteName(slot.Slice(ClusterOffset, NameField), Cluster);
        WriteName(slot.Slice(ServerOffset, NameField), Server);
        BinaryPrimitives.WriteUInt64LittleEndian(slot[CounterOffset..], Counter);
        SHA256.HashData(slot[..CheckOffset])[..8].CopyTo(slot[CheckOffset..]);
    }

    /// <summary>The slot, or null when it is empty, torn or not CLP's.</summary>
    public static DiskSlot? Decode(ReadOnlySpan<byte> slot)
    {
        if (slot.Length < Size || !slot[..Magic.Length].SequenceEqual(Magic)
            || !SHA256.HashData(slot[..CheckOffset]).AsSpan(0, 8).SequenceEqual(slot.Slice(CheckOffset, 8)))
        {
            return null;
        }

        var cluster = ReadName(slot.Slice(ClusterOffset, NameField));
        var server = ReadName(slot.Slice(ServerOffset, NameField));
        return cluster is null || server is null ? null : new DiskSlot(cluster, server, BinaryPrimitives.ReadUInt64LittleEndian(slot[CounterOffset..]));
    }

    /// <summary>Where <paramref name="server"/> starts looking for a slot (FNV-1a of its lower-case name,
    /// stable across processes and versions, unlike string hash codes): servers rarely collide, and one
    /// added later does not move the others.</summary>
    public static int PreferredIndex(string server)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.ASCII.GetBytes(server.ToLowerInvariant()))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % Count);
    }

    private static void WriteName(Span<byte> field, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name);
        if (bytes.Length > NameField - 1)
        {
            throw new ArgumentException($"'{name}' is longer than {NameField - 1} characters", nameof(name));
        }

        field[0] = (byte)bytes.Length;
        bytes.CopyTo(field[1..]);
    }

    private static string? ReadName(ReadOnlySpan<byte> field) =>
        field[0] is > 0 and < NameField ? Encoding.ASCII.GetString(field.Slice(1, field[0])) : null;
}
