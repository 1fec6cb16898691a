namespace Clp.Core.Model;

/// <summary>Constants of the native API contract (DESIGN.md "Native API shape").</summary>
public static class ClpApi
{
    public const string Version = "clp/v1";

    public const string BasePath = "/apis/clp/v1";

    public const int DefaultPort = 29009;
}
