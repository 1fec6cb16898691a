using System.Text.Json.Nodes;
using Clp.Agent.Monitoring;
using Clp.Agent.View;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Policy.Recovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Clp.Agent.Tests.Monitoring.MessageMatchTests;

namespace Clp.Agent.Tests.Monitoring;

/// <summary>The mrw probe over a fixed view: each matching message newer than the monitor's start fails one
/// probe, once.</summary>
public class MessageReceiveProbeTests
{
    private ClusterView _view = ClusterView.Empty with { Version = 100 };

    private static MonitorContext Context(string server = "s1", string? keyword = null) => new("c1", server, "mrw1", "mrw",
        keyword is null ? new JsonObject { ["category"] = "nm" } : new JsonObject { ["category"] = "nm", ["keyword"] = keyword }, null, null);

    private MessageReceiveProbe Probe() => new(() => _view);

    private void Post(params Event[] messages) => _view = _view with
    {
        Messages = [.. _view.Messages, .. messages],
        Version = Math.Max(_view.Version, messages.Max(MessageMatch.VersionOf)),
    };

    [Fact]
    public async Task Probe_EachMatchingMessage_FailsExactlyOneProbe()
    {
        var probe = Probe();
        probe.Start("mrw1", 100);
        Assert.True((await probe.ProbeAsync(Context(), CancellationToken.None)).Healthy);

        Post(Message(101, "nm", "db1 is down"), Message(102, "batch"), Message(103, "nm", "db1 is down again"));

        var first = await probe.ProbeAsync(Context(), CancellationToken.None);
        Assert.False(first.Healthy);
        Assert.Contains("ev-101", first.Message, StringComparison.Ordinal);
        Assert.Contains("db1 is down", first.Message, StringComparison.Ordinal);
        var second = await probe.ProbeAsync(Context(), CancellationToken.None);
        Assert.False(second.Healthy);
        Assert.Contains("ev-103", second.Message, StringComparison.Ordinal);
        Assert.True((await probe.ProbeAsync(Context(), CancellationToken.None)).Healthy); // consumed once
        Assert.True((await probe.ProbeAsync(Context(), CancellationToken.None)).Healthy);
    }

    [Fact]
    public async Task Probe_IgnoresMessagesOlderThanTheStart_AtTheLimit()
    {
        Post(Message(100, "nm"), Message(101, "nm"));
        var probe = Probe();
        probe.Start("mrw1", 100);

        Assert.Contains("ev-101", (await probe.ProbeAsync(Context(), CancellationToken.None)).Message, StringComparison.Ordinal);
        Assert.True((await probe.ProbeAsync(Context(), CancellationToken.None)).Healthy); // 100 is the start itself
    }

    [Fact]
    public async Task Probe_NotStarted_StartsAtTheViewItFirstSees()
    {
        Post(Message(101, "nm"));
        var probe = Probe();
        Assert.True((await probe.ProbeAsync(Context(), CancellationToken.None)).Healthy);
        Post(Message(102, "nm"));
        Assert.False((await probe.ProbeAsync(Context(), CancellationToken.None)).Healthy);
    }

    [Fact]
    public async Task Probe_Restart_ForgetsWhatCameBefore()
    {
        var probe = Probe();
        probe.Start("mrw1", 100);
        Post(Message(101, "nm"));
        probe.Start("mrw1", 101); // a changed monitor gets a new runner and starts again
        Assert.True((await probe.ProbeAsync(Context(), CancellationToken.None)).Healthy);
    }

    [Fact]
    public async Task Probe_ServerAndKeyword_SelectTheMessages()
    {
        var onS1 = Probe();
        var onS2 = Probe();
        onS1.Start("mrw1", 100);
        onS2.Start("mrw1", 100);
        Post(Message(101, "nm", "db1 is down", server: "s2"), Message(102, "nm", "db2 is down"));

        Assert.True((await onS1.ProbeAsync(Context("s1", keyword: "db1"), CancellationToken.None)).Healthy);
        Assert.Contains("ev-101", (await onS2.ProbeAsync(Context("s2", keyword: "db1"), CancellationToken.None)).Message, StringComparison.Ordinal);
        Assert.True((await onS2.ProbeAsync(Context("s2", keyword: "db1"), CancellationToken.None)).Healthy);
    }

    [Fact]
    public async Task Runner_WithRetryCountZero_RunsTheRecoveryForOneMessage()
    {
        var time = new FakeTimeProvider();
        var actions = new Actions();
        var spec = new MonitorSpec
        {
            Type = "mrw",
            RetryCount = 0,
            Recovery = new MonitorRecovery { TargetKind = RecoveryTargetKind.Group, Target = "g1", RestartCount = 0, FailoverCount = 1 },
        };
        var probe = Probe();
        probe.Start("mrw1", 100);
        var runner = new MonitorRunner(Context(), spec, MonitorTiming.Always, RecoveryTarget.ForGroup("g1"), probe, actions, time, NullLogger<MonitorRunner>.Instance);

        Assert.Equal(MonitorVerdict.Normal, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Post(Message(101, "nm"));
        Assert.Equal(MonitorVerdict.Error, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Equal(["Failover g1"], actions.Calls);
        Assert.Equal(MonitorVerdict.Recovered, await runner.RunOnceAsync(true, false, CancellationToken.None));
        Assert.Equal(ObjectState.Normal, runner.Status);
    }

    private sealed class Actions : IRecoveryActions
    {
        public List<string> Calls { get; } = [];

        public Task RestartAsync(RecoveryTarget target, string reason, CancellationToken cancellationToken) => Add($"Restart {target.Name}");

        public Task RequestFailoverAsync(RecoveryTarget target, string reason, CancellationToken cancellationToken) => Add($"Failover {target.Group ?? target.Name}");

        public Task FinalActionAsync(FinalAction action, RecoveryTarget target, string reason, CancellationToken cancellationToken) => Add($"Final {action}");

        private Task Add(string call)
        {
            Calls.Add(call);
            return Task.CompletedTask;
        }
    }
}
