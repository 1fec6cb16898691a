using Clp.Core.Model;
using Clp.Core.Security;

namespace Clp.Core.Tests.Security;

/// <summary>One row per role rule of DESIGN.md "Roles".</summary>
public class AccessPolicyTests
{
    private static readonly Caller System = new("bootstrap-admin", ApiKeyRole.Admin, null, null);
    private static readonly Caller Admin = new("a", ApiKeyRole.Admin, "c1", null);
    private static readonly Caller Operator = new("o", ApiKeyRole.Operator, "c1", null);
    private static readonly Caller Viewer = new("v", ApiKeyRole.Viewer, "c1", null);
    private static readonly Caller Agent = new("g", ApiKeyRole.Agent, "c1", "server1");

    public static TheoryData<string, Caller, string, AccessVerb, string, string?, bool> Rows() => new()
    {
        { "system admin creates clusters", System, "Cluster", AccessVerb.Create, "c9", "c9", true },
        { "cluster admin cannot create clusters", Admin, "Cluster", AccessVerb.Create, "c9", "c9", false },
        { "cluster admin cannot delete its cluster", Admin, "Cluster", AccessVerb.Delete, "c1", "c1", false },
        { "cluster admin updates its cluster", Admin, "Cluster", AccessVerb.Update, "c1", "c1", true },
        { "cluster admin writes specs", Admin, "Group", AccessVerb.Update, "c1", "g1", true },
        { "cluster admin manages keys", Admin, "ApiKey", AccessVerb.Create, "c1", "k1", true },
        { "cluster admin stays in its cluster", Admin, "Group", AccessVerb.Read, "c2", "g1", false },
        { "operator reads", Operator, "Group", AccessVerb.Read, "c1", "g1", true },
        { "operator creates operations", Operator, "Operation", AccessVerb.Create, "c1", null, true },
        { "operator creates events (external messages for mrw)", Operator, "Event", AccessVerb.Create, "c1", null, true },
        { "operator cannot delete events", Operator, "Event", AccessVerb.Delete, "c1", "ev1", false },
        { "viewer cannot create events", Viewer, "Event", AccessVerb.Create, "c1", null, false },
        { "operator cannot write specs", Operator, "Group", AccessVerb.Update, "c1", "g1", false },
        { "operator cannot see keys", Operator, "ApiKey", AccessVerb.Read, "c1", null, false },
        { "viewer reads", Viewer, "Server", AccessVerb.Read, "c1", "server1", true },
        { "viewer cannot create operations", Viewer, "Operation", AccessVerb.Create, "c1", null, false },
        { "viewer cannot write status", Viewer, "Server", AccessVerb.UpdateStatus, "c1", "server1", false },
        { "agent reads its cluster", Agent, "Group", AccessVerb.Read, "c1", "g1", true },
        { "agent writes its server's status", Agent, "Server", AccessVerb.UpdateStatus, "c1", "server1", true },
        { "agent writes its server's status, any case", Agent, "Server", AccessVerb.UpdateStatus, "c1", "SERVER1", true },
        { "agent cannot write another server's status", Agent, "Server", AccessVerb.UpdateStatus, "c1", "server2", false },
        { "agent cannot write its server's spec", Agent, "Server", AccessVerb.Update, "c1", "server1", false },
        { "agent acquires its lease", Agent, "Lease", AccessVerb.Acquire, "c1", "server1", true },
        { "agent renews its lease", Agent, "Lease", AccessVerb.Renew, "c1", "server1", true },
        { "agent renews its lease, any case", Agent, "Lease", AccessVerb.Renew, "c1", "Server1", true },
        { "agent cannot acquire another server's lease", Agent, "Lease", AccessVerb.Acquire, "c1", "server2", false },
        { "agent cannot renew another server's lease", Agent, "Lease", AccessVerb.Renew, "c1", "server2", false },
        { "agent cannot write its lease directly", Agent, "Lease", AccessVerb.Update, "c1", "server1", false },
        { "agent cannot write its lease's status (un-revoke)", Agent, "Lease", AccessVerb.UpdateStatus, "c1", "server1", false },
        { "agent cannot create a lease directly", Agent, "Lease", AccessVerb.Create, "c1", "server1", false },
        { "agent cannot renew in another cluster", Agent, "Lease", AccessVerb.Renew, "c2", "server1", false },
        { "admin acquires any lease", Admin, "Lease", AccessVerb.Acquire, "c1", "server2", true },
        { "system admin renews any lease", System, "Lease", AccessVerb.Renew, "c9", "server2", true },
        { "operator cannot acquire a lease", Operator, "Lease", AccessVerb.Acquire, "c1", "server1", false },
        { "viewer cannot renew a lease", Viewer, "Lease", AccessVerb.Renew, "c1", "server1", false },
        { "agent creates events", Agent, "Event", AccessVerb.Create, "c1", null, true },
        { "agent cannot write group status", Agent, "Group", AccessVerb.UpdateStatus, "c1", "g1", false },
        { "agent cannot create operations", Agent, "Operation", AccessVerb.Create, "c1", null, false },
        { "agent cannot see keys", Agent, "ApiKey", AccessVerb.Read, "c1", null, false },
        { "agent stays in its cluster", Agent, "Server", AccessVerb.UpdateStatus, "c2", "server1", false },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Deny_Rule_Decides(string rule, Caller caller, string kind, AccessVerb verb, string cluster, string? name, bool allowed)
    {
        var denied = AccessPolicy.Deny(caller, Kinds.ByName(kind)!, verb, cluster, name);
        Assert.True(allowed == (denied is null), $"{rule}: {denied ?? "allowed"}");
    }
}
