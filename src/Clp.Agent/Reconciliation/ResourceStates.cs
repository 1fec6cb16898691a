namespace Clp.Agent.Reconciliation;

/// <summary>CLUSTERPRO's status words for a resource or group on one server.</summary>
public static class ResourceStates
{
    public const string Online = "Online";
    public const string Offline = "Offline";
    public const string OnlinePending = "Online Pending";
    public const string OfflinePending = "Offline Pending";
    public const string OnlineFailure = "Online Failure";
    public const string OfflineFailure = "Offline Failure";

    /// <summary>Whether anything of the resource may be running (what a fence must still release).</summary>
    public static bool MayBeActive(string state) => state is not Offline;
}
