using System.Globalization;
using System.Text.Json.Serialization;

namespace Clp.Client.Model;

/// <summary>Where a list page stands in the store's change sequence, and how to get the next page.</summary>
public sealed class ListMeta
{
    /// <summary>The store's resourceVersion when the page was read (a decimal string).</summary>
    public string ResourceVersion { get; set; } = "0";

    /// <summary>Pass as <c>continue</c> to get the next page; absent on the last page.</summary>
    public string? Continue { get; set; }

    /// <summary><see cref="ResourceVersion"/> as the number a watch resumes after.</summary>
    [JsonIgnore]
    public long Version => long.Parse(ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture);
}
