using System.Net;
using System.Text.Json.Nodes;

namespace Clp.Controller.Tests;

/// <summary>Plays a server's agent over HTTP with its agent key: acquire, renew, and report a group's
/// state for an epoch in its own Server status. It runs no resources.</summary>
internal sealed class FakeAgent(HttpClient client, string cluster, string server)
{
    private readonly Dictionary<string, (string State, long Epoch)> _groups = [];

    public string Server => server;

    public long Incarnation { get; private set; }

    public long EpochFloor { get; private set; }

    public string StoreUid { get; private set; } = "";

    /// <summary>The last vote token received; sent back with each renewal as a real agent does.</summary>
    public long? VoteToken { get; private set; }

    private string Lease => $"{Api.Base}/clusters/{cluster}/leases/{server}";

    public static async Task<FakeAgent> CreateAsync(ControllerFactory factory, HttpClient admin, string cluster, string server) =>
        new(factory.Client(await admin.AgentKeyAsync(cluster, server)), cluster, server);

    /// <summary>Agents for s1 and s2 of <paramref name="cluster"/>, both joined with incarnation 1.</summary>
    public static async Task<(FakeAgent S1, FakeAgent S2)> JoinTwoAsync(ControllerFactory factory, HttpClient admin, string cluster)
    {
        var s1 = await CreateAsync(factory, admin, cluster, "s1");
        var s2 = await CreateAsync(factory, admin, cluster, "s2");
        await s1.AcquireAsync(1);
        await s2.AcquireAsync(1);
        return (s1, s2);
    }

    /// <summary>Joins with <paramref name="incarnation"/> and a T of <paramref name="timeoutMs"/>.</summary>
    public async Task<JsonNode> AcquireAsync(long incarnation, int timeoutMs = 3000)
    {
        var grant = await client.Post($"{Lease}/acquire", $$"""{"incarnation":{{incarnation}},"timeoutMs":{{timeoutMs}}}""").Ok();
        Incarnation = incarnation;
        EpochFloor = (long)grant["epochFloor"]!;
        StoreUid = (string)grant["storeUid"]!;
        VoteToken = (long?)grant["voteToken"];
        return grant;
    }

    public Task<HttpResponseMessage> TryAcquireAsync(long incarnation, int timeoutMs = 3000) =>
        client.Post($"{Lease}/acquire", $$"""{"incarnation":{{incarnation}},"timeoutMs":{{timeoutMs}}}""");

    /// <summary>Continues as incarnation <paramref name="incarnation"/> (another client of the same agent).</summary>
    public void Resume(long incarnation) => Incarnation = incarnation;

    /// <summary>The T (and timeout ratio acknowledgement) renewals state unless told otherwise.</summary>
    public (int TimeoutMs, int? RatioAck) Stating { get; set; } = (3000, null);

    public async Task<JsonNode> RenewAsync(int? timeoutMs = null)
    {
        var renewal = await TryRenewAsync(Incarnation, timeoutMs ?? Stating.TimeoutMs, Stating.RatioAck).Ok();
        VoteToken = (long?)renewal["voteToken"] ?? VoteToken;
        return renewal;
    }

    public Task<HttpResponseMessage> TryRenewAsync(long incarnation, int timeoutMs = 3000, int? ratioAck = null)
    {
        var body = new JsonObject { ["incarnation"] = incarnation, ["timeoutMs"] = timeoutMs };
        if (VoteToken is { } token)
        {
            body["voteToken"] = token;
        }

        if (ratioAck is { } ratio)
        {
            body["timeoutRatioAck"] = ratio;
        }

        return client.Post($"{Lease}/renew", body.ToJsonString());
    }

    /// <summary>Reports <paramref name="group"/> in <paramref name="state"/> under <paramref name="epoch"/>
    /// (with every group reported before).</summary>
    public async Task ReportAsync(string group, string state, long epoch)
    {
        _groups[group] = (state, epoch);
        var groups = new JsonObject();
        foreach (var (name, (s, e)) in _groups)
        {
            groups[name] = new JsonObject { ["state"] = s, ["epoch"] = e };
        }

        var status = new JsonObject { ["phase"] = "Online", ["incarnation"] = Incarnation, ["groups"] = groups };
        await client.Put($"{Api.Base}/clusters/{cluster}/servers/{server}/status", status.ToJsonString()).Ok(HttpStatusCode.OK);
    }
}
