using Clp.Core.Model;

namespace Clp.Policy.Tests.Placement;

/// <summary>Group specs for placement tests.</summary>
internal static class Specs
{
    public static GroupSpec All(
        FailbackAttribute failback = FailbackAttribute.Manual,
        StartupAttribute startup = StartupAttribute.Auto,
        ExclusiveAttribute exclusive = ExclusiveAttribute.Off) => new()
    {
        FailoverPolicy = new() { Kind = FailoverPolicyKind.AllServers },
        Failback = failback,
        Startup = startup,
        Exclusive = exclusive,
    };

    public static GroupSpec OnServers(string[] servers, FailbackAttribute failback = FailbackAttribute.Manual, ExclusiveAttribute exclusive = ExclusiveAttribute.Off)
    {
        var spec = All(failback, exclusive: exclusive);
        spec.FailoverPolicy = new() { Kind = FailoverPolicyKind.Servers, Servers = [.. servers] };
        return spec;
    }

    public static GroupSpec OnServerGroups(params string[] serverGroups)
    {
        var spec = All();
        spec.FailoverPolicy = new() { Kind = FailoverPolicyKind.ServerGroups, ServerGroups = [.. serverGroups] };
        return spec;
    }
}
