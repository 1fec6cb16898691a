using System.Net;

namespace Clp.Api.Tests;

/// <summary>The node-lease protocol over HTTP (DESIGN rules 1, 2, 5), without the controller: acquire,
/// takeover by a higher incarnation, renewals kept in memory, and the lease going with its server.</summary>
public class LeaseProtocolTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Acquire_AnswersStoreUidEpochFloorAndHeartbeat_RenewalsAreNotWritten()
    {
        var admin = factory.Client();
        var cluster = await admin.NewClusterAsync();
        await admin.NewServerAsync(cluster, "s1", 1);
        var lease = $"{Http.Base}/clusters/{cluster}/leases/s1";
        var grant = await admin.PostJson($"{lease}/acquire", """{"incarnation":7,"timeoutMs":5000}""").Ok();
        Assert.False(string.IsNullOrEmpty((string?)grant["storeUid"]));
        Assert.True((long)grant["epochFloor"]! > 0);
        Assert.Equal(1000, (int)grant["heartbeat"]!["intervalMs"]!);
        Assert.Equal(5000, (int)grant["heartbeat"]!["timeoutMs"]!);
        Assert.Equal(7, (long)grant["lease"]!["spec"]!["incarnation"]!);
        Assert.Equal("s1", (string?)grant["lease"]!["spec"]!["holder"]);
        Assert.False((bool)grant["lease"]!["status"]!["revoked"]!);
        Assert.Equal((long)grant["epochFloor"]!, (long)grant["lease"]!["status"]!["epochFloor"]!);

        var version = (string?)(await admin.GetAsync(lease).Ok())["metadata"]!["resourceVersion"];
        for (var i = 0; i < 3; i++)
        {
            var renewal = await admin.PostJson($"{lease}/renew", """{"incarnation":7,"timeoutMs":5000}""").Ok();
            Assert.Equal(7, (long)renewal["incarnation"]!);
            Assert.Equal(5000, (int)renewal["heartbeat"]!["timeoutMs"]!);
        }

        Assert.Equal(version, (string?)(await admin.GetAsync(lease).Ok())["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task HigherIncarnation_TakesOver_OldRenewals409_EqualAcquire409()
    {
        var admin = factory.Client();
        var cluster = await admin.NewClusterAsync();
        await admin.NewServerAsync(cluster, "s1", 1);
        var lease = $"{Http.Base}/clusters/{cluster}/leases/s1";
        await admin.PostJson($"{lease}/acquire", """{"incarnation":1,"timeoutMs":5000}""").Ok();
        await admin.PostJson($"{lease}/acquire", """{"incarnation":2,"timeoutMs":5000}""").Ok();
        await Expect(admin.PostJson($"{lease}/renew", """{"incarnation":1,"timeoutMs":5000}"""), HttpStatusCode.Conflict, "lease-revoked");
        await admin.PostJson($"{lease}/renew", """{"incarnation":2,"timeoutMs":5000}""").Ok();
        await Expect(admin.PostJson($"{lease}/acquire", """{"incarnation":2,"timeoutMs":5000}"""), HttpStatusCode.Conflict, "stale-incarnation");
        await Expect(admin.PostJson($"{Http.Base}/clusters/nope/leases/s1/acquire", """{"incarnation":3,"timeoutMs":5000}"""), HttpStatusCode.NotFound, "not-found");
        await Expect(admin.PostJson($"{Http.Base}/clusters/nope/leases/s1/renew", """{"incarnation":3,"timeoutMs":5000}"""), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task DeletingTheServer_DeletesItsLease_RenewalsThenGet409()
    {
        var admin = factory.Client();
        var cluster = await admin.NewClusterAsync();
        await admin.NewServerAsync(cluster, "s1", 1);
        await admin.NewServerAsync(cluster, "s2", 2);
        var lease = $"{Http.Base}/clusters/{cluster}/leases/s2";
        await admin.PostJson($"{lease}/acquire", """{"incarnation":1,"timeoutMs":5000}""").Ok();
        await admin.DeleteAsync($"{Http.Base}/clusters/{cluster}/servers/s2").Ok();
        await Expect(admin.GetAsync(lease), HttpStatusCode.NotFound, "not-found");
        await Expect(admin.PostJson($"{lease}/renew", """{"incarnation":1,"timeoutMs":5000}"""), HttpStatusCode.Conflict, "lease-revoked");
    }

    private static async Task Expect(Task<HttpResponseMessage> call, HttpStatusCode status, string type)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Contains($"urn:clp:problem:{type}", body);
    }
}
