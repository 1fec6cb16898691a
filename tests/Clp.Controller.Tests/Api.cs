using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Clp.Controller.Tests;

/// <summary>JSON over HttpClient, and the objects the controller tests build clusters from.</summary>
internal static class Api
{
    public const string Base = "/apis/clp/v1";

    private static int _counter;

    /// <summary>A fresh name per test (STYLE 43).</summary>
    public static string Fresh(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}x{Environment.ProcessId % 1000}";

    public static async Task<JsonNode> Ok(this Task<HttpResponseMessage> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts a problem+json answer of <paramref name="status"/> with <c>urn:clp:problem:</c><paramref name="type"/>.</summary>
    public static async Task Problem(this Task<HttpResponseMessage> call, HttpStatusCode status, string type, string because)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{because}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"urn:clp:problem:{type}", (string?)JsonNode.Parse(body)!["type"]);
    }

    public static Task<HttpResponseMessage> Post(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> Put(this HttpClient client, string path, string json) =>
        client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>A cluster with heartbeat interval 1 s and T = <paramref name="timeoutMs"/> (T + M = 3.3 s at
    /// the default 3 s), servers s1..sN (priority = index) on one LAN, and groups with the default
    /// policy (all servers, by priority).</summary>
    public static async Task<string> ClusterAsync(this HttpClient admin, int servers, string[] groups, int timeoutMs = 3000, int syncWaitSeconds = 300)
    {
        var name = Fresh("c");
        var cluster = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = JsonNode.Parse($"{{\"heartbeat\":{{\"intervalMs\":1000,\"timeoutMs\":{timeoutMs}}},\"startupSyncWaitSeconds\":{syncWaitSeconds}," +
                "\"interconnects\":[{\"name\":\"lan1\",\"type\":\"Lan\",\"priority\":0,\"network\":\"10.231.1.0/24\"}]}"),
        };
        await admin.Post($"{Base}/clusters?autoMonitors=false", cluster.ToJsonString()).Ok(HttpStatusCode.Created);
        for (var i = 1; i <= servers; i++)
        {
            var server = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = $"s{i}" },
                ["spec"] = new JsonObject
                {
                    ["priority"] = i,
                    ["interconnects"] = new JsonArray(new JsonObject { ["interconnect"] = "lan1", ["address"] = $"10.231.1.{i}" }),
                },
            };
            await admin.Post($"{Base}/clusters/{name}/servers", server.ToJsonString()).Ok(HttpStatusCode.Created);
        }

        foreach (var group in groups)
        {
            await admin.Post($"{Base}/clusters/{name}/groups", new JsonObject { ["metadata"] = new JsonObject { ["name"] = group } }.ToJsonString()).Ok(HttpStatusCode.Created);
        }

        return name;
    }

    /// <summary>Creates an agent key for <paramref name="server"/> and returns the key.</summary>
    public static async Task<string> AgentKeyAsync(this HttpClient admin, string cluster, string server)
    {
        var key = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"agent-{server}" },
            ["spec"] = new JsonObject { ["role"] = "Agent", ["server"] = server },
        };
        var created = await admin.Post($"{Base}/clusters/{cluster}/apikeys", key.ToJsonString()).Ok(HttpStatusCode.Created);
        return (string)created["key"]!;
    }

    /// <summary>Creates an operation and returns its name.</summary>
    public static async Task<string> OperationAsync(this HttpClient client, string cluster, string verb, string kind, string target, JsonObject? parameters = null)
    {
        var spec = new JsonObject { ["verb"] = verb, ["target"] = new JsonObject { ["kind"] = kind, ["name"] = target } };
        if (parameters is not null)
        {
            spec["parameters"] = parameters;
        }

        var created = await client.Post($"{Base}/clusters/{cluster}/operations", new JsonObject { ["spec"] = spec }.ToJsonString()).Ok(HttpStatusCode.Created);
        return (string)created["metadata"]!["name"]!;
    }
}
