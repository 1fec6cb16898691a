namespace Clp.Api.Objects;

/// <summary>One page of a list. Watch from <see cref="ListMeta.ResourceVersion"/> to miss nothing after it.</summary>
public sealed class ObjectList<T>
{
    public string ApiVersion { get; set; } = Core.Model.ClpApi.Version;

    /// <summary>The item kind followed by "List", e.g. <c>ServerList</c>.</summary>
    public string Kind { get; set; } = "";

    public ListMeta Metadata { get; set; } = new();

    public List<T> Items { get; set; } = [];
}

public sealed class ListMeta
{
    /// <summary>The store's resourceVersion when the page was read.</summary>
    public string ResourceVersion { get; set; } = "0";

    /// <summary>Pass as <c>continue</c> to get the next page; absent on the last page.</summary>
    public string? Continue { get; set; }
}
