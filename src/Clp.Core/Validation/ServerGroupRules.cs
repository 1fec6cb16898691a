using Clp.Core.Model;

namespace Clp.Core.Validation;

internal static class ServerGroupRules
{
    public static void Validate(ServerGroup serverGroup, ClusterSnapshot after, ValidationContext context)
    {
        var servers = serverGroup.Spec.Servers ?? [];
        context.MaxLength(serverGroup.Spec.Description, 1024, "spec.description");
        if (servers.Count == 0)
        {
            context.Add("spec.servers", "required", "spec.servers needs at least one server");
        }

        context.Unique(servers, "spec.servers");
        for (var i = 0; i < servers.Count; i++)
        {
            context.Reference(servers[i], after.Servers, "Server", $"spec.servers[{i}]");
        }
    }
}
