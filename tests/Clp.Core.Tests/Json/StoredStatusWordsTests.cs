using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Core.Json;
using Clp.Core.Model;

namespace Clp.Core.Tests.Json;

/// <summary>The protocol's status words became enums (issue 13) and kept their wire form: Server, Group and Cluster
/// status JSON as b76e4b3 stored it (the words were strings then) reads back as the same states, and writes back
/// word for word.</summary>
public class StoredStatusWordsTests
{
    /// <summary>A Server status as an agent of b76e4b3 wrote it: every word its resources, groups, monitors,
    /// operations and heartbeats could carry.</summary>
    private const string StoredServerStatus = """
        {
          "phase": "Online",
          "incarnation": 1796685413115,
          "resources": {
            "r1": { "state": "Online", "epoch": 3 },
            "r2": { "state": "Offline", "epoch": 3 },
            "r3": { "state": "Online Pending", "epoch": 3 },
            "r4": { "state": "Offline Pending", "epoch": 3 },
            "r5": { "state": "Online Failure", "epoch": 3, "lastError": "exit 1" },
            "r6": { "state": "Offline Failure", "epoch": 3, "lastError": "exit 2" },
            "r7": { "state": "Unknown" }
          },
          "groups": {
            "g1": { "state": "Online Failure", "epoch": 4, "request": "Failover" },
            "g2": { "state": "Online Failure", "epoch": 4, "request": "Stop" },
            "g3": { "state": "Offline", "epoch": 4 }
          },
          "monitors": {
            "m1": { "state": "Normal" },
            "m2": { "state": "Caution", "lastError": "no answer" },
            "m3": { "state": "Error", "lastError": "no answer" },
            "m4": { "state": "Suspend" },
            "m5": { "state": "Unused" }
          },
          "operations": {
            "o1": { "state": "Running", "lastError": "starting" },
            "o2": { "state": "Succeeded", "lastError": "done" },
            "o3": { "state": "Failed", "lastError": "failed" }
          },
          "heartbeats": {
            "ic1": { "state": "Caution", "peers": { "s2": "Normal", "s3": "Error" }, "forged": 0, "replayed": 0 },
            "ic2": { "state": "Unknown", "peers": {}, "forged": 0, "replayed": 0 }
          }
        }
        """;

    public static TheoryData<JsonSerializerOptions> Readers => [ClpJson.StoredOptions, ClpJson.Options];

    [Theory]
    [MemberData(nameof(Readers))]
    public void ServerStatus_AsStoredByB76e4b3_ReadsAsTheSameStates_AndWritesTheSameWords(JsonSerializerOptions reader)
    {
        var status = JsonSerializer.Deserialize<ServerStatus>(StoredServerStatus, reader)!;

        Assert.Equal(ObjectState.Online, status.Phase);
        Assert.Equal(
            [ObjectState.Online, ObjectState.Offline, ObjectState.OnlinePending, ObjectState.OfflinePending, ObjectState.OnlineFailure, ObjectState.OfflineFailure, ObjectState.Unknown],
            status.Resources!.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value.State));
        Assert.Equal((ObjectState.OnlineFailure, GroupRequest.Failover), (status.Groups!["g1"].State, status.Groups["g1"].Request!.Value));
        Assert.Equal(GroupRequest.Stop, status.Groups["g2"].Request);
        Assert.Null(status.Groups["g3"].Request);
        Assert.Equal(
            [ObjectState.Normal, ObjectState.Caution, ObjectState.Error, ObjectState.Suspend, ObjectState.Unused],
            status.Monitors!.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value.State));
        Assert.Equal(
            [ObjectState.Running, ObjectState.Succeeded, ObjectState.Failed],
            status.Operations!.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value.State));
        Assert.Equal(HeartbeatState.Caution, status.Heartbeats!["ic1"].State);
        Assert.Equal((HeartbeatState.Normal, HeartbeatState.Error), (status.Heartbeats["ic1"].Peers["s2"], status.Heartbeats["ic1"].Peers["s3"]));
        Assert.Equal(HeartbeatState.Unknown, status.Heartbeats["ic2"].State);

        var written = JsonNode.Parse(JsonSerializer.Serialize(status, ClpJson.Options));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(StoredServerStatus), written), written?.ToJsonString());
    }

    [Theory]
    [InlineData("Online", ObjectState.Online)]
    [InlineData("Offline", ObjectState.Offline)]
    [InlineData("Online Pending", ObjectState.OnlinePending)]
    [InlineData("Offline Failure", ObjectState.OfflineFailure)]
    public void GroupStatus_Phase_AsStored_ReadsAndWritesTheSameWord(string word, ObjectState expected)
    {
        var stored = $$"""{"currentServer":"s1","epoch":7,"phase":"{{word}}"}""";

        var status = JsonSerializer.Deserialize<GroupStatus>(stored, ClpJson.StoredOptions)!;

        Assert.Equal(expected, status.Phase);
        Assert.Equal(word, expected.Word());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(JsonSerializer.Serialize(status, ClpJson.Options))));
    }

    [Theory]
    [InlineData("Stopped", ClusterPhase.Stopped)]
    [InlineData("Starting", ClusterPhase.Starting)]
    [InlineData("Running", ClusterPhase.Running)]
    [InlineData("Suspended", ClusterPhase.Suspended)]
    public void ClusterStatus_Phase_AsStored_ReadsAndWritesTheSameWord(string word, ClusterPhase expected)
    {
        var stored = $$"""{"phase":"{{word}}","phaseTime":"2026-12-01T10:00:00+00:00"}""";

        var status = JsonSerializer.Deserialize<ClusterStatus>(stored, ClpJson.StoredOptions)!;

        Assert.Equal(expected, status.Phase);
        Assert.Equal(word, JsonNode.Parse(JsonSerializer.Serialize(status, ClpJson.Options))!["phase"]!.GetValue<string>());
    }

    [Fact]
    public void AWordOutsideTheProtocol_IsRefused_NotReadAsSomeState()
    {
        // The API answers a JsonException with the validation problem naming the field.
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ObjectStateOnServer>("""{"state":"Onlien"}""", ClpJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ObjectStateOnServer>("""{"state":"OnlinePending"}""", ClpJson.Options));
    }

    [Fact]
    public void Word_IsTheWireForm_OfEveryState()
    {
        foreach (var state in Enum.GetValues<ObjectState>())
        {
            Assert.Equal($"\"{state.Word()}\"", JsonSerializer.Serialize(state, ClpJson.Options));
        }
    }
}
