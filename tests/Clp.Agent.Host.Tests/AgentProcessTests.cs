namespace Clp.Agent.Host.Tests;

/// <summary>Real clp-agent processes against a real clp-api process (loopback, no root): joining, the one-agent
/// lock, a SIGKILLed agent's restart, and SIGTERM.</summary>
[Collection(ApiCollection.Name)]
public sealed class AgentProcessTests(ApiFixture api)
{
    private static readonly TimeSpan JoinBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Agent_WithAgentKey_JoinsAndReportsOnline()
    {
        var (cluster, server, key) = await api.NewServerAsync();
        using var run = new AgentRun();
        await using var agent = run.Start(api.Address, cluster, server, key);
        var incarnation = await api.WaitOnlineAsync(cluster, server, "the agent to join", JoinBound);
        Assert.True(incarnation > 0);
        await agent.WaitForLineAsync($"Server={server} ", "a log line naming the server", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Agent_StartedPlainly_RunsWithoutTheWriteXorExecuteDoubleMapping()
    {
        // The memory settings live in clp-agent.runtimeconfig.json, so they apply without any environment: with
        // W^X on, the runtime maps its code through /memfd:doublemapper (docs/architecture.md "clp-agent").
        var (cluster, server, key) = await api.NewServerAsync();
        using var run = new AgentRun();
        await using var agent = run.Start(api.Address, cluster, server, key);
        await api.WaitOnlineAsync(cluster, server, "the agent to join", JoinBound);

        var maps = await File.ReadAllTextAsync($"/proc/{agent.Pid}/maps");

        Assert.DoesNotContain("doublemapper", maps, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondAgent_ForSameServer_ExitsThree_AndAfterSigkill_ANewAgentJoins()
    {
        var (cluster, server, key) = await api.NewServerAsync();
        using var run = new AgentRun();
        await using var first = run.Start(api.Address, cluster, server, key);

        // The lock is taken before the first log line; the second agent is refused while the first joins.
        await first.WaitForLineAsync("starting", "the first agent to take the lock", JoinBound);
        var joined = api.WaitOnlineAsync(cluster, server, "the first agent to join", JoinBound);
        await using (var second = run.Start(api.Address, cluster, server, key))
        {
            var code = await second.WaitForExitAsync("the second agent refusing to run beside the first", TimeSpan.FromSeconds(30));
            Assert.True(code == 3, $"expected exit code 3, got {code}: {second.Output}");
            Assert.Contains($"another clp-agent (pid {first.Pid}) already runs server {server}", second.Output, StringComparison.Ordinal);
        }

        var firstIncarnation = await joined;

        await first.KillAsync();
        await using var third = run.Start(api.Address, cluster, server, key);
        var thirdIncarnation = await api.WaitOnlineAsync(cluster, server, "the agent started after the SIGKILL to join", JoinBound, not: firstIncarnation);
        Assert.True(thirdIncarnation > firstIncarnation, $"incarnation {thirdIncarnation} is not above {firstIncarnation}");
        Assert.False(third.HasExited, $"the new agent exited: {third.Output}");
    }

    [Fact]
    public async Task ApiGone_WithIsolationActionStopClusterService_FencesThenExitsFour_WithoutRejoining()
    {
        // An API of its own: this test kills it (the server is then isolated: no API, no peer).
        var own = new ApiFixture();
        var ownStopped = false;
        await own.InitializeAsync();
        try
        {
            var (cluster, server, key) = await own.NewServerAsync();
            await own.Admin.Clusters.PatchClusterAsync(cluster, new System.Text.Json.Nodes.JsonObject
            {
                ["spec"] = new System.Text.Json.Nodes.JsonObject { ["isolationAction"] = "StopClusterService" },
            });
            using var run = new AgentRun();
            await using var agent = run.Start(own.Address, cluster, server, key);
            var incarnation = await own.WaitOnlineAsync(cluster, server, "the agent to join", JoinBound);

            await own.DisposeAsync();
            ownStopped = true;
            var code = await agent.WaitForExitAsync("the agent to fence and stop after losing the API", TimeSpan.FromSeconds(30));
            Assert.True(code == 4, $"expected exit code 4, got {code}: {agent.Output}");
            Assert.Contains("isolated: isolation action StopClusterService follows", agent.Output, StringComparison.Ordinal);
            var line = Assert.Single(File.ReadAllLines(run.PowerFile));
            Assert.StartsWith($"stop-cluster-service isolated: incarnation {incarnation} fenced at lease age", line, StringComparison.Ordinal);
            Assert.Equal(1, CountOf(agent.Output, "Joined with incarnation"));

            // The stop told the fence guard to exit too: nothing is left to protect, nothing rejoins.
            var guard = run.GuardPid();
            for (var i = 0; i < 100 && guard is { } live && GuardProcesses.IsGuard(live); i++)
            {
                await Task.Delay(100);
            }

            Assert.False(guard is { } pid && GuardProcesses.IsGuard(pid), $"the fence guard (pid {guard}) still runs");
        }
        finally
        {
            if (!ownStopped)
            {
                await own.DisposeAsync();
            }
        }
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task Sigterm_ReleasesGroups_AndExitsZero()
    {
        var (cluster, server, key) = await api.NewServerAsync();
        using var run = new AgentRun();
        await using var agent = run.Start(api.Address, cluster, server, key);
        await api.WaitOnlineAsync(cluster, server, "the agent to join", JoinBound);

        agent.Terminate();
        var code = await agent.WaitForExitAsync("the agent to leave after SIGTERM", TimeSpan.FromSeconds(20));
        Assert.True(code == 0, $"expected exit code 0, got {code}: {agent.Output}");
        Assert.Contains($"server {server} released its groups", agent.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(run.PowerFile), $"a system action was taken: {(File.Exists(run.PowerFile) ? File.ReadAllText(run.PowerFile) : "")}");
    }
}
