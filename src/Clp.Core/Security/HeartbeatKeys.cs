using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Clp.Core.Model;

namespace Clp.Core.Security;

/// <summary>The keys of the LAN heartbeats and of relayed renewals, derived from the API's master key
/// (docs/partition-safety.md, sections 2 and 3). Deriving them means nothing secret is stored with the
/// cluster's objects (which operators read and watch) and an API restart hands out the same keys.</summary>
public static class HeartbeatKeys
{
    public const int KeyBytes = 32;

    /// <summary>The cluster's heartbeat secret: every agent of the cluster has it (from its join grant).
    /// The cluster's uid is part of it, so a cluster re-created under the same name gets a new secret.</summary>
    public static byte[] HeartbeatSecret(byte[] master, string cluster, string? clusterUid) =>
        Derive(master, $"clp-heartbeat\n{cluster.ToLowerInvariant()}\n{clusterUid}");

    /// <summary>One incarnation's renewal key: only that incarnation (from its join grant) and the API know it.</summary>
    public static byte[] RenewalKey(byte[] master, string cluster, string server, long incarnation) =>
        Derive(master, string.Create(CultureInfo.InvariantCulture, $"clp-renewal\n{cluster.ToLowerInvariant()}\n{server.ToLowerInvariant()}\n{incarnation}"));

    /// <summary>The MAC of a renewal token (base64).</summary>
    public static string RenewalMac(byte[] renewalKey, string cluster, string server, long incarnation, long sequence, int timeoutMs) =>
        Convert.ToBase64String(HMACSHA256.HashData(renewalKey, TokenBytes(cluster, server, incarnation, sequence, timeoutMs)));

    /// <summary>Whether <paramref name="token"/>'s MAC verifies under <paramref name="renewalKey"/> (constant time).</summary>
    public static bool VerifyRenewal(byte[] renewalKey, string cluster, RelayedRenewal token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Span<byte> given = stackalloc byte[KeyBytes];
        if (!Convert.TryFromBase64String(token.Mac, given, out var written) || written != KeyBytes)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(renewalKey, TokenBytes(cluster, token.Server, token.Incarnation, token.Sequence, token.TimeoutMs));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static byte[] TokenBytes(string cluster, string server, long incarnation, long sequence, int timeoutMs) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"clp-renew\n{cluster.ToLowerInvariant()}\n{server.ToLowerInvariant()}\n{incarnation}\n{sequence}\n{timeoutMs}"));

    private static byte[] Derive(byte[] master, string label) => HMACSHA256.HashData(master, Encoding.UTF8.GetBytes(label));
}
