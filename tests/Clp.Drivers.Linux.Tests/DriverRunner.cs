using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests;

/// <summary>The real drivers running inside a namespace: Clp.Drivers.Linux.Runner started under
/// <c>ip netns exec</c>, spoken to one JSON line at a time. Disposing ends it (and kills it by PID if it
/// does not end).</summary>
public sealed class DriverRunner : IAsyncDisposable
{
    private readonly Process _process;

    private DriverRunner(Process process) => _process = process;

    public static string RunnerPath { get; } = typeof(DriverRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RunnerPath").Value!;

    /// <summary>Starts the runner in namespace <paramref name="ns"/> with its own state folder.</summary>
    public static async Task<DriverRunner> StartAsync(string ns, string stateDirectory)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        foreach (var a in new[] { "netns", "exec", ns, "dotnet", RunnerPath, stateDirectory })
        {
            info.ArgumentList.Add(a);
        }

        var runner = new DriverRunner(Process.Start(info)!);
        var ready = await runner.ReadAsync(TimeSpan.FromSeconds(30));
        Assert.True(ready["ready"]?.GetValue<bool>() == true, $"runner did not start: {ready.ToJsonString()}");
        return runner;
    }

    /// <summary>Sends one request and returns the answer (throws if the runner does not answer in time).</summary>
    public async Task<JsonObject> SendAsync(JsonObject request, TimeSpan? timeout = null)
    {
        await _process.StandardInput.WriteLineAsync(request.ToJsonString());
        await _process.StandardInput.FlushAsync();
        return await ReadAsync(timeout ?? TimeSpan.FromSeconds(90));
    }

    public Task<JsonObject> ActivateAsync(string type, JsonObject parameters, string resource = "r1") =>
        SendAsync(new JsonObject { ["op"] = "activate", ["type"] = type, ["resource"] = resource, ["params"] = parameters });

    public Task<JsonObject> DeactivateAsync(string type, JsonObject parameters, string resource = "r1") =>
        SendAsync(new JsonObject { ["op"] = "deactivate", ["type"] = type, ["resource"] = resource, ["params"] = parameters });

    public Task<JsonObject> ProbeAsync(string type, JsonObject parameters, string resource = "r1") =>
        SendAsync(new JsonObject { ["op"] = "probe", ["type"] = type, ["resource"] = resource, ["params"] = parameters });

    public Task<JsonObject> MonitorAsync(string type, JsonObject parameters, string? target = null, JsonObject? targetParameters = null, int timeoutMs = 60_000) =>
        SendAsync(new JsonObject
        {
            ["op"] = "monitor", ["type"] = type, ["monitor"] = type + "1", ["params"] = parameters,
            ["target"] = target, ["targetParams"] = targetParameters, ["timeoutMs"] = timeoutMs,
        });

    private async Task<JsonObject> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var line = await _process.StandardOutput.ReadLineAsync(cts.Token)
            ?? throw new InvalidOperationException("the driver runner ended");
        return JsonNode.Parse(line)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
