namespace Clp.Core.Model;

/// <summary>A bearer API key of a cluster. Only its hash is stored; the key is shown once, at creation.</summary>
public sealed class ApiKey : ClpObject<ApiKeySpec, ApiKeyStatus>
{
}

public sealed class ApiKeySpec
{
    public ApiKeyRole Role { get; set; } = ApiKeyRole.Viewer;

    /// <summary>For <see cref="ApiKeyRole.Agent"/>: the one server this key acts for.</summary>
    public string? Server { get; set; }

    public string? Description { get; set; }
}

/// <summary>viewer reads; operator also creates Operations; admin does everything in its cluster; agent
/// renews its server's lease, writes its server's status and events, and reads its cluster.</summary>
public enum ApiKeyRole
{
    Viewer,
    Operator,
    Admin,
    Agent,
}

public sealed class ApiKeyStatus : ObjectStatus
{
    /// <summary>The first characters of the key, to recognise it in lists.</summary>
    public string? Prefix { get; set; }
}

/// <summary>The answer to an ApiKey create: the object and, this once, the key itself.</summary>
public sealed class ApiKeyWithSecret
{
    public ApiKey ApiKey { get; set; } = new();

    /// <summary>Send as <c>Authorization: Bearer &lt;key&gt;</c>. Not retrievable later.</summary>
    public string Key { get; set; } = "";
}
