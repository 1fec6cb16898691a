namespace Clp.Client.Model;

/// <summary>One page of a list. Watch from <see cref="ListMeta.ResourceVersion"/> to miss nothing after it;
/// pass <see cref="ListMeta.Continue"/> back as <c>continue</c> for the next page.</summary>
/// <typeparam name="T">The item kind, e.g. <see cref="Core.Model.Server"/>.</typeparam>
public sealed class ObjectList<T>
{
    public string ApiVersion { get; set; } = Core.Model.ClpApi.Version;

    /// <summary>The item kind followed by "List", e.g. <c>ServerList</c>.</summary>
    public string Kind { get; set; } = "";

    public ListMeta Metadata { get; set; } = new();

    public List<T> Items { get; set; } = [];
}
