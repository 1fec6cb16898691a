using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clp.Api.Tests;

/// <summary>Small JSON helpers over HttpClient for the API tests.</summary>
internal static class Http
{
    public const string Base = "/apis/clp/v1";

    private static int _counter;

    /// <summary>A fresh name per test (STYLE 43).</summary>
    public static string Fresh(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}x{Environment.ProcessId % 1000}";

    public static StringContent Json(string json, string contentType = "application/json") => new(json, Encoding.UTF8, contentType);

    public static StringContent Json(JsonNode node, string contentType = "application/json") => Json(node.ToJsonString(), contentType);

    public static async Task<JsonNode> ReadJson(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("null body");

    public static async Task<JsonNode> Ok(this Task<HttpResponseMessage> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, string json) => client.PostAsync(path, Json(json));

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string path, string json) => client.PutAsync(path, Json(json));

    public static Task<HttpResponseMessage> Patch(this HttpClient client, string path, string json) =>
        client.PatchAsync(path, Json(json, "application/merge-patch+json"));

    /// <summary>Creates a cluster with one LAN interconnect (10.231.1.0/24) and returns its name.</summary>
    public static async Task<string> NewClusterAsync(this HttpClient client, string? name = null, bool autoMonitors = false)
    {
        name ??= Fresh("c");
        await client.PostJson($"{Base}/clusters?autoMonitors={autoMonitors.ToString().ToLowerInvariant()}", $$$$"""
            {"metadata":{"name":"{{{{name}}}}"},"spec":{"heartbeat":{"intervalMs":1000,"timeoutMs":5000},
             "interconnects":[{"name":"lan1","type":"Lan","priority":0,"network":"10.231.1.0/24"}]}}
            """).Ok(HttpStatusCode.Created);
        return name;
    }

    /// <summary>Creates server <paramref name="name"/> with address 10.231.1.<paramref name="host"/> on lan1.</summary>
    public static Task<JsonNode> NewServerAsync(this HttpClient client, string cluster, string name, int host) =>
        client.PostJson($"{Base}/clusters/{cluster}/servers", $$$$"""
            {"metadata":{"name":"{{{{name}}}}"},"spec":{"priority":{{{{host}}}},"interconnects":[{"interconnect":"lan1","address":"10.231.1.{{{{host}}}}"}]}}
            """).Ok(HttpStatusCode.Created);

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static Task<HttpResponseMessage> PostAsJson<T>(this HttpClient client, string path, T value) =>
        client.PostAsJsonAsync(path, value, Options);
}
