using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Drivers.Linux;
using Clp.FenceGuard.Client;
using Clp.FenceGuard.Protocol;
using Clp.Policy.Time;

namespace Clp.Agent.Host.Tests;

/// <summary>clp-fence-guard as a real process (no root): started by clp-agent, it outlives the agent's SIGKILL and
/// releases the application by lease age T; a new agent connects to the same guard; a clean stop ends it; and when a
/// resource cannot be released within the budget it powers off through test-host power.</summary>
[Collection(ApiCollection.Name)]
public sealed class FenceGuardProcessTests(ApiFixture api, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan JoinBound = TimeSpan.FromSeconds(20);
    private const int TimeoutMs = 3000;

    [Fact]
    public async Task Guard_OutlivesASigkilledAgent_AndReleasesTheApplicationByLeaseAgeT()
    {
        var (cluster, server, key) = await api.NewServerAsync();
        await CreateAppGroupAsync(cluster);
        using var run = new AgentRun();
        await using var agent = run.Start(api.Address, cluster, server, key);
        var incarnation = await api.WaitOnlineAsync(cluster, server, "the agent to join", JoinBound);
        var app = await WaitAsync<int>(() => AppPid(run) is { } pid && GuardProcesses.IsLive(pid) ? pid : null, "the application to run", JoinBound);
        var armed = await WaitAsync<GuardReply>(async () => await StatusAsync(run) is { State: "Armed" } s && s.ArmedIncarnation == incarnation ? s : null,
            "the guard to be armed for the agent's incarnation", JoinBound);
        var guardPid = armed.GuardPid;

        // The guard learns the resources with the next renewal after the activation (within one interval I):
        // wait until it holds the application in its list before the agent dies.
        var guardLog = Path.Combine(run.StateDirectory, "fence-guard.log");
        await WaitAsync<bool>(() => File.Exists(guardLog) && ReadShared(guardLog).Contains($"Armed for incarnation {incarnation} by agent {agent.Pid}: 1 resources in 1 groups", StringComparison.Ordinal) ? true : null,
            "the guard to be armed with the application", JoinBound);
        Assert.Equal(guardPid, run.GuardPid());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(run.StateDirectory, "fence-guard.sock")));
        AssertGuardPriority(guardPid, agent.Pid, guardLog);

        var killed = TimeProvider.System.GetTimestamp();
        await agent.KillAsync();
        Assert.True(GuardProcesses.IsGuard(guardPid), "the guard died with its agent");

        // The guard (not the dead agent) stops the application, by the lease deadline.
        try
        {
            await WaitAsync<bool>(() => GuardProcesses.IsLive(app) ? null : (bool?)true, "the guard to stop the application", TimeSpan.FromMilliseconds(TimeoutMs * 2));
        }
        catch (Xunit.Sdk.XunitException e)
        {
            var log = Path.Combine(run.StateDirectory, "fence-guard.log");
            throw new Xunit.Sdk.XunitException($"{e.Message}\n==== fence-guard.log\n{(File.Exists(log) ? File.ReadAllText(log) : "(none)")}\n==== agent\n{agent.Output}");
        }
        var released = TimeProvider.System.GetElapsedTime(killed);
        output.WriteLine($"application released {released.TotalMilliseconds:F0} ms after the agent's SIGKILL (T = {TimeoutMs} ms)");
        Assert.True(released <= TimeSpan.FromMilliseconds(TimeoutMs), $"released {released.TotalMilliseconds:F0} ms after the SIGKILL, past T");
        var fired = await WaitAsync<GuardFire>(async () => (await StatusAsync(run))?.LastFire is { } f && f.Incarnation == incarnation ? f : null, "the guard's release record", JoinBound);
        Assert.Equal(["app1"], fired.Released);
        Assert.Empty(fired.Held);
        Assert.True(fired.LeaseAgeMs <= TimeoutMs, $"released at lease age {fired.LeaseAgeMs} ms");
        Assert.True(GuardProcesses.IsGuard(guardPid), "the guard ended after its release");
        Assert.False(File.Exists(run.PowerFile), "a power off was asked for");

        // A new agent connects to the same guard and arms it for its own incarnation; a clean stop ends the guard.
        await using var second = run.Start(api.Address, cluster, server, key);
        var next = await api.WaitOnlineAsync(cluster, server, "the second agent to join", JoinBound, not: incarnation);
        await WaitAsync<GuardReply>(async () => await StatusAsync(run) is { State: "Armed" } s && s.ArmedIncarnation == next && s.GuardPid == guardPid ? s : null,
            "the same guard to be armed for the new incarnation", JoinBound);
        second.Terminate();
        Assert.Equal(0, await second.WaitForExitAsync("the second agent to leave", JoinBound));
        await WaitAsync<bool>(() => GuardProcesses.IsLive(guardPid) ? null : (bool?)true, "the guard to exit after the clean stop", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Agent_WithFenceGuardOff_StartsNoGuard()
    {
        var (cluster, server, key) = await api.NewServerAsync();
        using var run = new AgentRun();
        await using var agent = run.Start(api.Address, cluster, server, key, "--fence-guard", "off");
        await api.WaitOnlineAsync(cluster, server, "the agent to join", JoinBound);
        await agent.WaitForLineAsync("The fence guard is off", "the warning that the guard is off", TimeSpan.FromSeconds(5));
        Assert.False(File.Exists(Path.Combine(run.StateDirectory, "fence-guard.lock")));
    }

    [Fact]
    public async Task Guard_WithAResourceItCannotReleaseInTheBudget_PowersOffThroughTestHostPower_AtLeaseAgeT()
    {
        using var run = new AgentRun();
        var drivers = LinuxDrivers.ResourceDrivers(new LinuxDriverOptions { StateDirectory = run.StateDirectory });
        var parameters = new JsonObject { ["startScript"] = "true", ["stopScript"] = "exec sleep 60", ["timeoutSeconds"] = 60 };
        await drivers["script"].ActivateAsync(new ResourceContext("c1", "s1", "g1", "held1", "script", parameters, GroupEvent.Start, 1), CancellationToken.None);
        string[] args = ["--state-dir", run.StateDirectory, "--cluster", "c1", "--server", "s1", "--system-actions", "test-host", "--test-host-power-file", run.PowerFile];
        await using var guard = ChildProcess.Start("clp-fence-guard", GuardDll(), args);
        await guard.WaitForLineAsync("listening on", "the guard to listen", JoinBound);
        await using (var second = ChildProcess.Start("clp-fence-guard (second)", GuardDll(), args))
        {
            Assert.Equal(3, await second.WaitForExitAsync("a second guard refusing to run beside the first", JoinBound));
        }

        using var client = await FenceGuardClient.ConnectAsync(Path.Combine(run.StateDirectory, "fence-guard.sock"), CancellationToken.None);
        var t = TimeSpan.FromMilliseconds(2000);
        var f = TimeSpan.FromMilliseconds(1000);
        var now = Instant.FromTimestamp(TimeProvider.System.GetTimestamp(), TimeProvider.System.TimestampFrequency);
        var fenceAt = now + TimeSpan.FromMilliseconds(500);
        var reply = await client.SendAsync(new GuardRequest
        {
            Op = GuardOps.Arm,
            Incarnation = 5,
            FenceAtTicks = fenceAt.Ticks,
            BudgetTicks = f.Ticks,
            TimeoutTicks = t.Ticks,
            Groups = [new GuardGroup { Name = "g1", Resources = [new GuardResource { Name = "held1", Type = "script", Parameters = parameters, StopTimeoutSeconds = 60 }] }],
        }, CancellationToken.None);
        Assert.True(reply.Ok, reply.Error);

        var code = await guard.WaitForExitAsync("the guard to power off", TimeSpan.FromSeconds(20));
        var end = Instant.FromTimestamp(TimeProvider.System.GetTimestamp(), TimeProvider.System.TimestampFrequency);
        Assert.Equal(72, code);
        var power = File.ReadAllText(run.PowerFile);
        Assert.StartsWith("poweroff fence-guard: ", power, StringComparison.Ordinal);
        Assert.Contains("held1", power, StringComparison.Ordinal);

        // The power off comes when the budget ends, D + F (lease age T), not before; the slack is process exit time.
        var age = end - (fenceAt - (t - f));
        output.WriteLine($"powered off at lease age {age.TotalMilliseconds:F0} ms (T = {t.TotalMilliseconds} ms)");
        Assert.True(age >= t, $"powered off at lease age {age.TotalMilliseconds:F0} ms, before the budget ended at T");
        Assert.True(age <= t + TimeSpan.FromSeconds(2), $"powered off at lease age {age.TotalMilliseconds:F0} ms");
    }

    private static string GuardDll() => Path.Combine(Path.GetDirectoryName(ChildProcess.BuiltDll("ClpAgentPath"))!, "clp-fence-guard.dll");

    private async Task CreateAppGroupAsync(string cluster)
    {
        await api.Admin.Groups.CreateGroupAsync(cluster, new Group { Metadata = new ObjectMeta { Name = "g1" }, Spec = new GroupSpec() });
        await api.Admin.Resources.CreateResourceAsync(cluster, new Resource
        {
            Metadata = new ObjectMeta { Name = "app1" },
            Spec = new ResourceSpec
            {
                Group = "g1",
                Type = "appli",
                Parameters = new JsonObject { ["startCommand"] = "exec sleep 600", ["stopGraceSeconds"] = 1 },
                StartTimeoutSeconds = 10,
                StopTimeoutSeconds = 1,
            },
        }, autoMonitors: false);
    }

    private static int? AppPid(AgentRun run)
    {
        var file = Path.Combine(run.StateDirectory, "appli", "app1.pid");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Split(' ')[0], out var pid) ? pid : null;
    }

    /// <summary>The guard runs at the agent's nice value + <see cref="Clp.Agent.Host.Guard.GuardLaunch.Niceness"/> (every thread: the
    /// process's main thread and its newest), or, where lowering a nice value is refused (no CAP_SYS_NICE), at the
    /// agent's, with nice's refusal in the guard's log.</summary>
    private static void AssertGuardPriority(int guardPid, int agentPid, string guardLog)
    {
        var agentNice = Clp.Tests.Shared.Proc.Nice(agentPid, agentPid);
        var threads = Directory.GetDirectories($"/proc/{guardPid}/task").Select(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var nices = threads.Select(t => Clp.Tests.Shared.Proc.Nice(guardPid, t)).Distinct().ToList();
        if (ReadShared(guardLog).Contains("cannot set niceness", StringComparison.Ordinal))
        {
            Assert.Equal([agentNice], nices);
        }
        else
        {
            Assert.Equal([Math.Max(-20, agentNice + Clp.Agent.Host.Guard.GuardLaunch.Niceness)], nices);
        }
    }

    private static async Task<GuardReply?> StatusAsync(AgentRun run)
    {
        try
        {
            using var client = await FenceGuardClient.ConnectAsync(Path.Combine(run.StateDirectory, "fence-guard.sock"), CancellationToken.None);
            return await client.SendAsync(new GuardRequest { Op = GuardOps.Status }, CancellationToken.None);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            return null;
        }
    }

    /// <summary>Reads a file another process appends to (no lock taken).</summary>
    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Task<T> WaitAsync<T>(Func<T?> probe, string what, TimeSpan bound) where T : struct =>
        WaitAsync(() => Task.FromResult(probe()), what, bound);

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, TimeSpan bound) where T : struct
    {
        using var deadline = new CancellationTokenSource(bound);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.False(deadline.IsCancellationRequested, $"timed out after {bound.TotalSeconds} s waiting for {what}");
            await Task.Delay(20);
        }
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, TimeSpan bound) where T : class
    {
        using var deadline = new CancellationTokenSource(bound);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.False(deadline.IsCancellationRequested, $"timed out after {bound.TotalSeconds} s waiting for {what}");
            await Task.Delay(20);
        }
    }
}
