using System.Text.Json.Nodes;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary>The restriction checks of the Ping and Http NP resolvers on Linux (docs/partition-safety.md,
/// section 5): Ping passes when a target answers an ICMP echo (the ipw probe's pings); Http passes when a
/// HEAD to the URL gets any answer at all (a status, even 500, proves the path to the server works).</summary>
public static class NpChecks
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.Zero,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>True when at least one of <paramref name="targets"/> answers.</summary>
    public static async Task<bool> PingAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var parameters = new JsonObject { ["targets"] = new JsonArray([.. targets.Select(t => (JsonNode?)JsonValue.Create(t))]) };
        var result = await new IpwProbe().ProbeAsync(new MonitorContext("", "", "np-ping", "ipw", parameters, null, null), cancellationToken);
        return result.Healthy;
    }

    /// <summary>True when a HEAD to <paramref name="url"/> gets an HTTP answer.</summary>
    public static async Task<bool> HeadAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, url);
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
