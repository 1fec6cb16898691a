using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Clp.Core.Store;
using Clp.Store.Sqlite.Options;
using Microsoft.Data.Sqlite;

namespace Clp.Store.Conformance.Tests;

/// <summary>Crash durability: a writer process killed with SIGKILL mid-loop loses no acknowledged write
/// and leaves a consistent database.</summary>
public sealed partial class SqliteResourceStoreTests
{
    private const int AcknowledgementsBeforeKill = 50;

    [Fact]
    public async Task Process_KilledWhileWriting_KeepsEveryAcknowledgedWrite()
    {
        var location = NewLocation();
        var acknowledged = new List<(int Iteration, long ResourceVersion)>();
        using var child = StartCrashWriter(location);
        try
        {
            // stderr is read only once the writer is gone: reading it to the end waits for the writer to exit.
            while (acknowledged.Count < AcknowledgementsBeforeKill)
            {
                var line = await Bounded.Within(child.StandardOutput.ReadLineAsync(),
                    $"acknowledgement {acknowledged.Count + 1} of {AcknowledgementsBeforeKill} from crash writer pid {child.Id}", TimeSpan.FromSeconds(60));
                if (line is null)
                {
                    Assert.Fail($"crash writer pid {child.Id} exited before the kill: {await child.StandardError.ReadToEndAsync()}");
                }

                Parse(line, acknowledged);
            }

            child.Kill(entireProcessTree: false); // SIGKILL to this pid only
            await Bounded.Within(child.WaitForExitAsync(), $"crash writer pid {child.Id} to die after SIGKILL");
            while (await Bounded.Within(child.StandardOutput.ReadLineAsync(), $"the rest of crash writer pid {child.Id}'s output") is { } line)
            {
                Parse(line, acknowledged);
            }
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: false);
            }
        }

        Assert.Equal(128 + 9, child.ExitCode);
        Assert.True(acknowledged.Count >= AcknowledgementsBeforeKill);
        await AssertSurvivedAsync(location, acknowledged);
    }

    /// <summary>Every acknowledged iteration's item is there, the counter agrees with the items (each
    /// iteration was one transaction), and SQLite finds the file intact.</summary>
    private async Task AssertSurvivedAsync(SqliteStoreOptions location, List<(int Iteration, long ResourceVersion)> acknowledged)
    {
        var store = await OpenAsync(location, Time, new StoreOptions());
        var counter = await store.GetAsync(new ObjectKey("Server", "crash", "counter"));
        Assert.NotNull(counter);
        var count = (int)JsonNode.Parse(counter.Json)!["spec"]!["count"]!;
        var last = acknowledged[^1];
        Assert.True(count >= last.Iteration, $"counter {count} covers the last acknowledged iteration {last.Iteration}");
        Assert.True(counter.ResourceVersion >= last.ResourceVersion, $"counter rv {counter.ResourceVersion} >= acknowledged rv {last.ResourceVersion}");
        foreach (var (iteration, resourceVersion) in acknowledged)
        {
            var item = await store.GetAsync(new ObjectKey("Server", "crash", $"item-{iteration}"));
            Assert.True(item is not null && item.ResourceVersion < resourceVersion, $"acknowledged item-{iteration} (rv {resourceVersion}) survived");
        }

        var items = (await store.ListAsync(new ListQuery("Server", "crash", Filter: o => o.Key.Name.StartsWith("item-", StringComparison.Ordinal)))).Items;
        Assert.Equal(count, items.Count);
        Assert.Equal(count, await store.GetResourceVersionAsync() / 2);
        await ((IAsyncDisposable)store).DisposeAsync();

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = location.DatabasePath, Pooling = false }.ToString());
        connection.Open();
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", check.ExecuteScalar());
    }

    /// <summary>Records an acknowledgement line, "iteration resourceVersion"; other lines ("ready") are skipped.</summary>
    private static void Parse(string line, List<(int Iteration, long ResourceVersion)> acknowledged)
    {
        if (line.Split(' ') is [var iteration, var resourceVersion])
        {
            acknowledged.Add((int.Parse(iteration, CultureInfo.InvariantCulture), long.Parse(resourceVersion, CultureInfo.InvariantCulture)));
        }
    }

    private static Process StartCrashWriter(SqliteStoreOptions location)
    {
        var path = typeof(SqliteResourceStoreTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "CrashWriterPath").Value!;
        Assert.True(File.Exists(path), $"the crash writer is built at {path} (a ProjectReference of this test project)");

        // stdin stays open and unused: the writer exits by itself when this process is gone.
        var start = new ProcessStartInfo(DotnetHost(), [path, location.DataDirectory])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName} {path}");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
