using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Clp.Api.Tests;

/// <summary>clp-api as a real process. SIGKILL in the middle of a write loop loses no acknowledged write and leaves the
/// store consistent; a restart serves everything (real process, real HTTP).</summary>
public sealed class ServerProcessTests : IDisposable
{
    private const string Key = "crash-test-admin-key-000000";
    private readonly string _data = Directory.CreateTempSubdirectory("clp-crash-").FullName;

    [Fact]
    public async Task Sigkill_DuringWriteLoop_LosesNoAcknowledgedWrite()
    {
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string cluster;
        await using (var server = await ServerProcess.StartAsync(_data, Key))
        {
            var client = server.Client(Key);
            cluster = await client.NewClusterAsync();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
            {
                using var writer = server.Client(Key);
                for (var i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
                {
                    var name = $"w{w}g{i}";
                    try
                    {
                        var response = await writer.PostAsync($"{Http.Base}/clusters/{cluster}/groups", Http.Json("{\"metadata\":{\"name\":\"" + name + "\"}}"));
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(name);
                            if (acknowledged.Count >= 150)
                            {
                                enough.TrySetResult();
                            }
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return; // the server is gone
                    }
                }
            })).ToList();

            try
            {
                await enough.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"only {acknowledged.Count} writes acknowledged in 60 s");
            }

            await server.KillAsync();
            stop.Cancel();
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        }

        await using (var restarted = await ServerProcess.StartAsync(_data, Key))
        {
            var list = await restarted.Client(Key).GetAsync($"{Http.Base}/clusters/{cluster}/groups").Ok();
            var stored = list["items"]!.AsArray().Select(g => (string)g!["metadata"]!["name"]!).ToHashSet();
            var lost = acknowledged.Where(a => !stored.Contains(a)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes lost, e.g. {string.Join(", ", lost.Take(5))}");
            var rv = long.Parse((string)list["metadata"]!["resourceVersion"]!);
            Assert.True(rv >= acknowledged.Count, $"resourceVersion {rv} is below the {acknowledged.Count} acknowledged writes");
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "clp.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", (string?)check.ExecuteScalar());
    }

    [Fact]
    public async Task JsonLogFormat_WritesOneJsonObjectPerLine()
    {
        await using var server = await ServerProcess.StartAsync(_data, Key, new Dictionary<string, string> { ["CLP_LOG_FORMAT"] = "json" });
        await server.Client(Key).GetAsync($"{Http.Base}/clusters").Ok();
        var lines = server.Output.ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.NotNull(JsonNode.Parse(line)!["@t"]));
        Assert.Contains(lines, line => line.Contains("Opened store", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
