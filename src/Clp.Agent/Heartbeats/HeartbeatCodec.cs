using System.Security.Cryptography;
using System.Text.Json;
using Clp.Core.Json;

namespace Clp.Agent.Heartbeats;

/// <summary>Why a datagram was not accepted.</summary>
public enum DecodeOutcome
{
    Ok,

    /// <summary>The MAC does not verify: forged, corrupt, or another cluster's secret.</summary>
    Forged,

    /// <summary>The MAC verifies but the body is not a heartbeat of this cluster.</summary>
    Malformed,
}

/// <summary>The wire format: 32 bytes of HMAC-SHA256 under the cluster's heartbeat secret, then the
/// message as UTF-8 JSON. At most <see cref="MaxBytes"/> bytes.</summary>
public static class HeartbeatCodec
{
    public const int MacBytes = 32;

    /// <summary>The largest datagram sent or accepted (well under a UDP datagram's 64 KiB).</summary>
    public const int MaxBytes = 16 * 1024;

    public static byte[] Encode(HeartbeatMessage message, byte[] secret)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, ClpJson.Options);
        if (body.Length + MacBytes > MaxBytes)
        {
            throw new InvalidOperationException($"a heartbeat of {body.Length} bytes does not fit a datagram of {MaxBytes}");
        }

        var datagram = new byte[MacBytes + body.Length];
        HMACSHA256.HashData(secret, body, datagram.AsSpan(0, MacBytes));
        body.CopyTo(datagram, MacBytes);
        return datagram;
    }

    public static DecodeOutcome TryDecode(ReadOnlySpan<byte> datagram, byte[] secret, string cluster, out HeartbeatMessage? message)
    {
        message = null;
        if (datagram.Length <= MacBytes || datagram.Length > MaxBytes)
        {
            return DecodeOutcome.Forged;
        }

        var body = datagram[MacBytes..];
        Span<byte> expected = stackalloc byte[MacBytes];
        HMACSHA256.HashData(secret, body, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, datagram[..MacBytes]))
        {
            return DecodeOutcome.Forged;
        }

        try
        {
            message = JsonSerializer.Deserialize<HeartbeatMessage>(body, ClpJson.StoredOptions);
        }
        catch (JsonException)
        {
            return DecodeOutcome.Malformed;
        }

        return message is { Sender.Length: > 0, Interconnect.Length: > 0 } && string.Equals(message.Cluster, cluster, StringComparison.OrdinalIgnoreCase)
            ? DecodeOutcome.Ok
            : DecodeOutcome.Malformed;
    }
}
