using System.Text.Json.Nodes;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>psqlw against a real PostgreSQL started by the test; faults: a wrong password, a failing query, and
/// the server stopped.</summary>
[Trait("Category", "System")]
public class PsqlwProbeTests
{
    [SystemFact("runuser")]
    public async Task Probe_ServerUp_IsHealthy_WrongPasswordBadQueryAndStoppedServer_Fail()
    {
        await using var pg = await TestPostgres.StartAsync();
        var passwordFile = Path.Combine(pg.Folder, "psqlw.pw");
        var wrongFile = Path.Combine(pg.Folder, "wrong.pw");
        await File.WriteAllTextAsync(passwordFile, TestPostgres.Password + "\n");
        await File.WriteAllTextAsync(wrongFile, "not-the-password\n");
        var probe = ProbeKit.Probe("psqlw");
        JsonObject Tcp(string file, string? query = null)
        {
            var p = new JsonObject { ["host"] = "127.0.0.1", ["port"] = pg.Port, ["database"] = "postgres", ["user"] = "postgres", ["passwordFile"] = file };
            if (query is not null)
            {
                p["query"] = query;
            }

            return p;
        }

        var socket = new JsonObject { ["host"] = pg.Folder, ["port"] = pg.Port, ["database"] = "postgres", ["user"] = "postgres" };

        ProbeKit.AssertHealthy(await ProbeKit.RunAsync(probe, ProbeKit.Context("psqlw", Tcp(passwordFile))));
        ProbeKit.AssertHealthy(await ProbeKit.RunAsync(probe, ProbeKit.Context("psqlw", socket)));
        ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, ProbeKit.Context("psqlw", Tcp(wrongFile))), "28P01");
        ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, ProbeKit.Context("psqlw", Tcp(passwordFile, "SELECT * FROM no_such_table"))), "query on postgres@127.0.0.1");

        await pg.StopAsync();

        ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, ProbeKit.Context("psqlw", Tcp(passwordFile))), "connect to postgres@127.0.0.1");
        ProbeKit.AssertFailed(await ProbeKit.RunAsync(probe, ProbeKit.Context("psqlw", socket)), "connect to postgres@" + pg.Folder);
    }
}
