using Clp.Core.Model;

namespace Clp.Core.Security;

/// <summary>Who may do what (DESIGN.md "Roles"): viewer reads; operator reads and creates Operations and
/// Events (an external tool reports an error to the mrw monitors by posting an Event);
/// admin does everything in its cluster; agent reads its cluster, writes its own server's status and
/// events, and acquires and renews its own server's lease (nothing else writes a lease but the lease
/// protocol and the controller). A system admin (the bootstrap key) does everything everywhere.
/// API keys themselves are visible to admins only.</summary>
public static class AccessPolicy
{
    /// <summary>Null when allowed, else why not (for the 403 problem's detail).</summary>
    public static string? Deny(Caller caller, KindInfo kind, AccessVerb verb, string cluster, string? name)
    {
        if (caller.IsSystemAdmin)
        {
            return null;
        }

        if (kind == Kinds.Cluster && verb is AccessVerb.Create or AccessVerb.Delete)
        {
            return "creating and deleting clusters needs the system admin key";
        }

        if (cluster.Length > 0 && !string.Equals(cluster, caller.Cluster, StringComparison.OrdinalIgnoreCase))
        {
            return $"the key belongs to cluster '{caller.Cluster}', not '{cluster}'";
        }

        if (kind == Kinds.ApiKey && caller.Role != ApiKeyRole.Admin)
        {
            return "API keys are visible to admins only";
        }

        return caller.Role switch
        {
            ApiKeyRole.Admin => null,
            ApiKeyRole.Operator when verb == AccessVerb.Read => null,
            ApiKeyRole.Operator when kind == Kinds.Operation && verb == AccessVerb.Create => null,
            ApiKeyRole.Operator when kind == Kinds.Event && verb == AccessVerb.Create => null,
            ApiKeyRole.Operator or ApiKeyRole.Viewer when verb is AccessVerb.Acquire or AccessVerb.Renew =>
                "only the server's agent key (or an admin) acquires and renews its lease",
            ApiKeyRole.Operator => "an operator key reads, and creates Operations and Events only",
            ApiKeyRole.Viewer when verb == AccessVerb.Read => null,
            ApiKeyRole.Viewer => "a viewer key is read-only",
            ApiKeyRole.Agent => DenyAgent(caller, kind, verb, name),
            _ => "unknown role",
        };
    }

    private static string? DenyAgent(Caller caller, KindInfo kind, AccessVerb verb, string? name)
    {
        var own = string.Equals(name, caller.Server, StringComparison.OrdinalIgnoreCase);
        return verb switch
        {
            AccessVerb.Read => null,
            AccessVerb.Create when kind == Kinds.Event => null,
            AccessVerb.UpdateStatus when kind == Kinds.Server && own => null,
            AccessVerb.Acquire or AccessVerb.Renew when kind == Kinds.Lease && own => null,
            _ => $"an agent key of server '{caller.Server}' may write only that server's status and events, and acquire and renew only its lease",
        };
    }
}

public enum AccessVerb
{
    Read,
    Create,
    Update,
    UpdateStatus,
    Delete,

    /// <summary>Join as a server: take its node lease with a new incarnation.</summary>
    Acquire,

    /// <summary>Renew a held node lease.</summary>
    Renew,
}

/// <summary>The authenticated caller. <see cref="Cluster"/> is null for a system key.</summary>
public sealed record Caller(string KeyName, ApiKeyRole Role, string? Cluster, string? Server)
{
    public bool IsSystemAdmin => Cluster is null && Role == ApiKeyRole.Admin;
}
