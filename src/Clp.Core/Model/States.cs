using System.Text.Json.Serialization;

namespace Clp.Core.Model;

/// <summary>The state of one resource, monitor, group or agent-run operation on one server
/// (<see cref="ObjectStateOnServer.State"/>): CLUSTERPRO's status words, kept exactly on the wire (the guide's
/// spelling, spaces included), so that stored statuses, CLUSTERPRO-compatible answers and agents of another
/// version read the same words.</summary>
/// <remarks>Which words apply: resources and groups Online, Offline, Online Pending, Offline Pending, Online Failure,
/// Offline Failure; monitors Normal, Caution, Error, Suspend, Unused; operations Running, Succeeded, Failed. Unknown
/// until reported.</remarks>
public enum ObjectState
{
    Unknown,
    Online,
    Offline,
    [JsonStringEnumMemberName("Online Pending")]
    OnlinePending,
    [JsonStringEnumMemberName("Offline Pending")]
    OfflinePending,
    [JsonStringEnumMemberName("Online Failure")]
    OnlineFailure,
    [JsonStringEnumMemberName("Offline Failure")]
    OfflineFailure,
    Normal,
    Caution,
    Error,
    Suspend,
    Unused,
    Running,
    Succeeded,
    Failed,
}

/// <summary>Helpers over <see cref="ObjectState"/> that both the agent and the controller rely on.</summary>
public static class ObjectStates
{
    /// <summary>Whether anything of a resource in this state may be running (what a fence must still release).</summary>
    public static bool MayBeActive(ObjectState state) => state is not ObjectState.Offline;

    /// <summary>The guide's word for <paramref name="state"/>, as on the wire ("Online Pending"), for messages and
    /// logs: read from the same <see cref="JsonStringEnumMemberNameAttribute"/>s the serializer uses.</summary>
    public static string Word(this ObjectState state) => Words.TryGetValue(state, out var word) ? word : state.ToString();

    private static readonly Dictionary<ObjectState, string> Words = typeof(ObjectState).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false).Length > 0)
        .ToDictionary(f => (ObjectState)f.GetValue(null)!, f => ((JsonStringEnumMemberNameAttribute)f.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false)[0]).Name);
}

/// <summary>What an agent asks the controller for a group it reports <see cref="ObjectState.OnlineFailure"/>
/// (<see cref="ObjectStateOnServer.Request"/>).</summary>
public enum GroupRequest
{
    /// <summary>Fail the group over (activation failure past its retries, a monitor's failover step).</summary>
    Failover,

    /// <summary>Stop the group (a monitor's final action "stop group").</summary>
    Stop,
}

/// <summary>LAN heartbeats on one interconnect (<see cref="InterconnectHeartbeatStatus"/>): for the interconnect,
/// Normal (every peer heard within the heartbeat timeout), Caution (some) or Error (none); for one peer, Normal
/// (heard) or Error (not heard).</summary>
public enum HeartbeatState
{
    Unknown,
    Normal,
    Caution,
    Error,
}
