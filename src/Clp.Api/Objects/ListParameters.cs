using System.ComponentModel;

namespace Clp.Api.Objects;

/// <summary>Paging and selection of a list.</summary>
public sealed class ListParameters
{
    /// <summary>Label selector, e.g. <c>tier=web,env!=test</c>.</summary>
    [Description("Label selector: comma-separated k=v, k!=v, 'k in (a,b)', 'k notin (a,b)', k, !k.")]
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "labelSelector")]
    public string? LabelSelector { get; set; }

    [Description("Page size (1-10000); all items when absent.")]
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "limit")]
    public int? Limit { get; set; }

    [Description("The continue token of the previous page.")]
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "continue")]
    public string? Continue { get; set; }
}
