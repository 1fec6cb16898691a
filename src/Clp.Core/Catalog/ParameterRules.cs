using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Clp.Core.Validation;

namespace Clp.Core.Catalog;

/// <summary>Type-specific parameter rules: value semantics the per-parameter schema cannot express, and
/// cross-parameter requirements.</summary>
internal static partial class ParameterRules
{
    /// <summary>A non-resident appli runs startCommand to completion, so only stopCommand can stop what it
    /// started; a resident one is stopped by signal when stopCommand is absent.</summary>
    public static void StopCommandWhenNonResident(JsonObject effective, string prefix, List<ValidationError> errors)
    {
        if (!JsonValues.TryBoolean(effective["resident"], out var resident) || resident)
        {
            return;
        }

        var hasStop = JsonValues.TryString(effective["stopCommand"], out var stop);
        if ((hasStop && !string.IsNullOrWhiteSpace(stop)) || (!hasStop && effective.ContainsKey("stopCommand")))
        {
            return; // present, or of the wrong JSON type (already a "type" error)
        }

        var field = $"{prefix}.stopCommand";
        errors.Add(new(field, "required-when-non-resident",
            $"{field} is required when {prefix}.resident is false: a non-resident application is stopped only by its stop command"));
    }

    /// <summary>Keys of <c>environment</c> must be POSIX-portable variable names.</summary>
    public static void EnvironmentNames(JsonObject effective, string prefix, List<ValidationError> errors)
    {
        if (effective["environment"] is not JsonObject environment)
        {
            return;
        }

        foreach (var (key, _) in environment)
        {
            if (!EnvironmentNamePattern().IsMatch(key))
            {
                var field = $"{prefix}.environment.{key}";
                errors.Add(new(field, "environment-variable-name",
                    $"{field}: '{key}' must be letters, digits and '_', not starting with a digit"));
            }
        }
    }

    /// <summary><c>user</c> is a Linux user name (useradd's rule) or a numeric uid.</summary>
    public static void UserName(JsonObject effective, string prefix, List<ValidationError> errors)
    {
        if (JsonValues.TryString(effective["user"], out var user) && !UserNamePattern().IsMatch(user))
        {
            var field = $"{prefix}.user";
            errors.Add(new(field, "user-name",
                $"{field} '{user}' must be a Linux user name (lower-case letters, digits, '_', '-', at most 32) or a numeric uid"));
        }
    }

    /// <summary><c>unit</c> names a systemd unit that can be started: a valid unit name ending in .service,
    /// .socket, .target, .timer, .path or .mount; a template needs an instance (<c>name@instance.service</c>).</summary>
    public static void SystemdUnitName(JsonObject effective, string prefix, List<ValidationError> errors)
    {
        if (JsonValues.TryString(effective["unit"], out var unit) && !string.IsNullOrWhiteSpace(unit)
            && (unit.Length > 255 || !UnitNamePattern().IsMatch(unit)))
        {
            var field = $"{prefix}.unit";
            errors.Add(new(field, "systemd-unit-name",
                $"{field} '{unit}' must be a systemd unit name ending in .service, .socket, .target, .timer, .path or .mount (templates need an instance)"));
        }
    }

    /// <summary>Mounting over <c>/</c> would hide the server's own root file system.</summary>
    public static void MountPointNotRoot(JsonObject effective, string prefix, List<ValidationError> errors)
    {
        if (JsonValues.TryString(effective["mountPoint"], out var mountPoint) && mountPoint.Length > 0
            && mountPoint.TrimEnd('/').Length == 0)
        {
            var field = $"{prefix}.mountPoint";
            errors.Add(new(field, "mount-point", $"{field} must not be '/'"));
        }
    }

    /// <summary>A floating IP is a unicast address another host can reach: not unspecified, loopback,
    /// multicast or broadcast.</summary>
    public static void UnicastIp(JsonObject effective, string prefix, List<ValidationError> errors)
    {
        if (!JsonValues.TryString(effective["ip"], out var text) || !NetworkSyntax.IsIpAddress(text))
        {
            return;
        }

        var ip = IPAddress.Parse(text);
        var unusable = IPAddress.IsLoopback(ip)
            || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast)
            || (ip.AddressFamily == AddressFamily.InterNetwork && ip.GetAddressBytes()[0] >= 224)
            || ip.IsIPv6Multicast;
        if (unusable)
        {
            var field = $"{prefix}.ip";
            errors.Add(new(field, "unicast-address", $"{field} '{text}' must be a unicast address (not unspecified, loopback, multicast or broadcast)"));
        }
    }

    /// <summary><c>interface</c> is a Linux network device name: 1-15 characters, no '/', ':' or white
    /// space, not '.' or '..'.</summary>
    public static void InterfaceName(JsonObject effective, string prefix, List<ValidationError> errors)
    {
        if (JsonValues.TryString(effective["interface"], out var name)
            && (name.Length is 0 or > 15 || name is "." or ".." || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            var field = $"{prefix}.interface";
            errors.Add(new(field, "interface-name",
                $"{field} '{name}' must be a network device name: 1-15 characters without '/', ':' or white space"));
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentNamePattern();

    [GeneratedRegex("^(?:[a-z_][a-z0-9_-]{0,30}[a-z0-9_$-]?|[0-9]{1,10})$", RegexOptions.CultureInvariant)]
    private static partial Regex UserNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9:_.\\-]+(?:@[A-Za-z0-9:_.\\-]+)?\.(?:service|socket|target|timer|path|mount)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitNamePattern();
}
