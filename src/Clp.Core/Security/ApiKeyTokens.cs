using System.Security.Cryptography;
using System.Text;

namespace Clp.Core.Security;

/// <summary>Makes, parses and hashes bearer API keys. A cluster key reads
/// <c>clp.&lt;cluster&gt;.&lt;name&gt;.&lt;secret&gt;</c> (names cannot contain '.', the base64url secret
/// cannot either), so the server finds the ApiKey object without scanning; any other string is a system
/// key (the bootstrap admin key). Only SHA-256 hashes are stored: keys are 256-bit random or at least 16
/// characters chosen by an operator, so a slow password hash would buy nothing but latency per request.</summary>
public static class ApiKeyTokens
{
    public const string Prefix = "clp";

    /// <summary>A new key for ApiKey <paramref name="name"/> of <paramref name="cluster"/>.</summary>
    public static string NewClusterKey(string cluster, string name) =>
        $"{Prefix}.{cluster}.{name}.{NewSecret()}";

    /// <summary>256 random bits, base64url.</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Splits a cluster key; false for anything else (then it may be a system key).</summary>
    public static bool TryParseClusterKey(string token, out string cluster, out string name)
    {
        cluster = name = "";
        var parts = token.Split('.');
        if (parts.Length != 4 || parts[0] != Prefix || parts[3].Length < 32)
        {
            return false;
        }

        cluster = parts[1];
        name = parts[2];
        return Validation.Names.IsValid(cluster) && Validation.Names.IsValid(name);
    }

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time comparison of a presented key with a stored hash.</summary>
    public static bool Matches(string token, string? storedHash) =>
        storedHash is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(storedHash));

    /// <summary>What a list may show to recognise a key: its first characters.</summary>
    public static string DisplayPrefix(string token) => token.Length <= 12 ? "" : token[..Math.Min(token.Length - 8, token.LastIndexOf('.') + 5)];
}
