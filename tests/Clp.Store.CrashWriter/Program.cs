// Writes to a SQLite store in a loop and prints "<iteration> <resourceVersion>" after each acknowledged
// write, until it is killed; the store's crash test kills it with SIGKILL mid-loop and checks that every
// printed write survived. Each iteration creates item-<i> and sets the counter to i in one transaction.
// It exits by itself when its stdin closes (the test process is gone) or after MaxIterations.
using System.Globalization;
using System.Text.Json.Nodes;
using Clp.Core.Store;
using Clp.Store.Sqlite;
using Clp.Store.Sqlite.Options;
using Microsoft.Extensions.Logging.Abstractions;

const int MaxIterations = 200_000;
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: Clp.Store.CrashWriter <data-directory>");
    return 2;
}

_ = Task.Run(async () =>
{
    await Console.In.ReadToEndAsync();
    Environment.Exit(3);
});

await using var store = await SqliteResourceStore.OpenAsync(
    new SqliteStoreOptions { DataDirectory = args[0] }, new StoreOptions(), TimeProvider.System, NullLogger<SqliteResourceStore>.Instance);
var counter = new ObjectKey("Server", "crash", "counter");
await store.WriteAsync((tx, _) => tx.CreateAsync(counter, Envelope("counter", 0)));
Console.Out.WriteLine("ready");
for (var i = 1; i <= MaxIterations; i++)
{
    var iteration = i;
    var rv = await store.WriteAsync(async (tx, _) =>
    {
        await tx.CreateAsync(new ObjectKey("Server", "crash", $"item-{iteration}"), Envelope($"item-{iteration}", iteration));
        var updated = await tx.UpdateAsync(counter, Envelope("counter", iteration), expectedResourceVersion: null, specChanged: true);
        return updated.ResourceVersion;
    });
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{iteration} {rv}"));
}

return 0;

static string Envelope(string name, int count) => new JsonObject
{
    ["kind"] = "Server",
    ["metadata"] = new JsonObject { ["name"] = name },
    ["spec"] = new JsonObject { ["count"] = count },
}.ToJsonString();
