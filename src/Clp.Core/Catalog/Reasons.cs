namespace Clp.Core.Catalog;

/// <summary>The reasons the catalog gives for types CLP cannot run on Linux.</summary>
internal static class Reasons
{
    public const string MirrorDisk = "mirror/hybrid disk replication is not implemented by CLP yet";

    public const string Cloud = "needs the cloud provider's API, not available to CLP on this platform";

    public static string WindowsOnly(string feature) =>
        $"{feature} exists only on Windows; CLP runs on Linux";

    public static string NoDriver(string what) => $"no driver in CLP yet: {what}";
}
