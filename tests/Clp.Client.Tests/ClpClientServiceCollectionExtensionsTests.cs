using Clp.Client.Api;
using Clp.Client.Tests.Support;
using Clp.Client.Watching;
using Clp.Core.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Clp.Client.Tests;

/// <summary><c>AddClpClient</c> registers working interfaces and a working facade, all sending the key.</summary>
public class ClpClientServiceCollectionExtensionsTests(ClpApiFactory factory) : IClassFixture<ClpApiFactory>
{
    [Fact]
    public async Task AddClpClient_ResolvedClients_TalkToTheServerWithTheKey()
    {
        var services = new ServiceCollection();
        var builders = services.AddClpClient(new Uri("http://localhost/"), ClpApiFactory.AdminKey, o => o.IdleTimeout = Timeout.InfiniteTimeSpan);
        foreach (var builder in builders)
        {
            builder.ConfigurePrimaryHttpMessageHandler(() => factory.Server.CreateHandler());
        }

        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IClpClient>();
        var servers = provider.GetRequiredService<IServersApi>();

        var cluster = await client.NewClusterAsync();
        await servers.CreateServerAsync(cluster, Sample.Server("s1", 1));
        var start = (await client.Servers.ListServersAsync(cluster)).Metadata.Version;
        await using var pump = new WatchPump(ct => client.Watcher.WatchKindAsync(Kinds.Server, cluster, _ => Task.FromResult(start), start, ct));
        await servers.PatchServerAsync(cluster, "s1", new() { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["description"] = "db" } });

        var modified = await pump.NextAsync("the patch seen by the DI-built watcher");
        Assert.Equal((WatchEventType.Modified, "db"), (modified.Type, modified.As<Server>().Spec.Description));
    }
}
