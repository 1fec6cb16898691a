using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Clp.Drivers.Linux.Partitions;

/// <summary>One heartbeat on a Com resolver's serial line: a single ASCII line
/// <c>CLPCOM1 cluster resolver sender session sequence echo-session echo-sequence mac</c>. The session is
/// random per opening of the line, the sequence increases by one per frame within it, the echo names the
/// newest frame the sender accepted from the other end (0 0 when none), and the MAC is the first 16 bytes
/// of HMAC-SHA256 under a key derived from the cluster's heartbeat secret, in hex.</summary>
/// <remarks>A line is at most <see cref="MaxLength"/> bytes; names are at most 31 characters of letters,
/// digits, '-' and '_' (DESIGN.md), so no field holds a space.</remarks>
internal sealed record ComFrame(string Cluster, string Resolver, string Sender, ulong Session, long Sequence, ulong EchoSession, long EchoSequence)
{
    public const int MaxLength = 256;
    private const string Magic = "CLPCOM1";
    private const int MacBytes = 16;

    /// <summary>The key frames are authenticated with, derived from the cluster's heartbeat secret (so a
    /// MAC of a LAN heartbeat is never a valid frame and the other way round).</summary>
    public static byte[] Key(byte[] secret) => HMACSHA256.HashData(secret, "clp-com-line-v1"u8);

    /// <summary>The frame as one line, newline included.</summary>
    public byte[] Encode(byte[] key)
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{Magic} {Cluster} {Resolver} {Sender} {Session:x16} {Sequence} {EchoSession:x16} {EchoSequence}");
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body)).AsSpan(0, MacBytes));
        return Encoding.ASCII.GetBytes($"{body} {mac}\n");
    }

    /// <summary>Parses one line (without its newline). Garbage: not a frame; forged: a frame whose MAC
    /// does not verify under <paramref name="key"/>.</summary>
    public static ComFrameOutcome TryDecode(ReadOnlySpan<byte> line, byte[] key, out ComFrame? frame)
    {
        frame = null;
        if (line.Length > MaxLength || line.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e))
        {
            return ComFrameOutcome.Garbage;
        }

        var text = Encoding.ASCII.GetString(line);
        var fields = text.Split(' ');
        if (fields.Length != 9 || fields[0] != Magic
            || !ulong.TryParse(fields[4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var session)
            || !long.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !ulong.TryParse(fields[6], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var echoSession)
            || !long.TryParse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture, out var echoSequence)
            || fields[8].Length != 2 * MacBytes)
        {
            return ComFrameOutcome.Garbage;
        }

        byte[] mac;
        try
        {
            mac = Convert.FromHexString(fields[8]);
        }
        catch (FormatException)
        {
            return ComFrameOutcome.Garbage;
        }

        var body = text[..text.LastIndexOf(' ')];
        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body)).AsSpan(0, MacBytes);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            return ComFrameOutcome.Forged;
        }

        frame = new ComFrame(fields[1], fields[2], fields[3], session, sequence, echoSession, echoSequence);
        return ComFrameOutcome.Valid;
    }
}

/// <summary>What a received line turned out to be.</summary>
internal enum ComFrameOutcome
{
    Valid,
    Garbage,
    Forged,
}
