namespace Clp.Core.Store;

/// <summary>Change-history retention shared by every store backend (DESIGN.md "Store").</summary>
public sealed class StoreOptions
{
    /// <summary>Changes always kept, whatever their age.</summary>
    /// <value>Default 10,000.</value>
    public int HistoryMinChanges { get; set; } = 10_000;

    /// <summary>Changes younger than this are always kept, whatever their number.</summary>
    /// <value>Default 1 hour.</value>
    public TimeSpan HistoryMinAge { get; set; } = TimeSpan.FromHours(1);
}
