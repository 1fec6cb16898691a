namespace Clp.Core.Model;

/// <summary>A named set of servers (e.g. one site) that a group's failover policy may name in order.</summary>
public sealed class ServerGroup : ClpObject<ServerGroupSpec, ServerGroupStatus>
{
}

public sealed class ServerGroupSpec
{
    public string? Description { get; set; }

    /// <summary>Member servers in priority order.</summary>
    public List<string> Servers { get; set; } = [];
}

public sealed class ServerGroupStatus : ObjectStatus
{
}
