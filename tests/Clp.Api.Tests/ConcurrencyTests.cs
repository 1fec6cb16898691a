using System.Net;

namespace Clp.Api.Tests;

/// <summary>Optimistic concurrency through the API: ETags, If-Match and parallel writers.</summary>
public class ConcurrencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task ParallelReplaces_WithSameIfMatch_ExactlyOneWins()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var path = $"{Http.Base}/clusters/{cluster}/groups/g1";
        await client.PostJson($"{Http.Base}/clusters/{cluster}/groups", """{"metadata":{"name":"g1"}}""").Ok(HttpStatusCode.Created);
        var get = await client.GetAsync(path);
        var etag = get.Headers.ETag!.Tag;

        var writers = Enumerable.Range(0, 24).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, path)
            {
                Content = Http.Json($$$$"""{"metadata":{"name":"g1"},"spec":{"description":"writer {{{{i}}}}"}}"""),
            };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            var response = await factory.Client().SendAsync(request);
            return (i, response.StatusCode);
        }).ToList();
        var results = await Task.WhenAll(writers);

        var winners = results.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        var final = await client.GetAsync(path).Ok();
        Assert.Equal($"writer {winners[0].i}", (string)final["spec"]!["description"]!);
        Assert.Equal(2L, (long)final["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Get_ETag_IsResourceVersion_AndStatusWriteKeepsGeneration()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var created = await client.PostJson($"{Http.Base}/clusters/{cluster}/groups", """{"metadata":{"name":"g1"}}""").Ok(HttpStatusCode.Created);
        var get = await client.GetAsync($"{Http.Base}/clusters/{cluster}/groups/g1");
        Assert.Equal($"\"{(string)created["metadata"]!["resourceVersion"]!}\"", get.Headers.ETag!.Tag);

        var status = await client.PutJson($"{Http.Base}/clusters/{cluster}/groups/g1/status", """{"epoch":3,"reason":"Test"}""").Ok();
        Assert.Equal(1L, (long)status["metadata"]!["generation"]!);
        Assert.Equal(3L, (long)status["status"]!["epoch"]!);

        // A spec replace keeps the status the controller wrote.
        var replaced = await client.PutJson($"{Http.Base}/clusters/{cluster}/groups/g1", """{"metadata":{"name":"g1"},"spec":{"startup":"Manual"}}""").Ok();
        Assert.Equal(2L, (long)replaced["metadata"]!["generation"]!);
        Assert.Equal(3L, (long)replaced["status"]!["epoch"]!);
    }

    [Fact]
    public async Task Patch_MergesSpecAndLabels()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        await client.PostJson($"{Http.Base}/clusters/{cluster}/groups", """{"metadata":{"name":"g1","labels":{"a":"1","b":"2"}}}""").Ok(HttpStatusCode.Created);
        var patched = await client.Patch($"{Http.Base}/clusters/{cluster}/groups/g1", """{"metadata":{"labels":{"a":null,"c":"3"}},"spec":{"failback":"Auto"}}""").Ok();
        Assert.Equal("Auto", (string)patched["spec"]!["failback"]!);
        Assert.Equal("Auto", (string)patched["spec"]!["startup"]!);
        Assert.Equal("""{"b":"2","c":"3"}""", patched["metadata"]!["labels"]!.ToJsonString());
    }
}
