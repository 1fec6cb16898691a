using Clp.Client.Tests.Support;
using Clp.Core.Model;

namespace Clp.Client.Tests;

/// <summary>The ETag an answer carries is the one <see cref="ClpETag"/> computes from the typed object, so
/// callers never need the response headers.</summary>
public class ClpETagTests(ClpApiFactory factory) : IClassFixture<ClpApiFactory>
{
    [Fact]
    public async Task Of_ReadObject_EqualsTheServersETagHeader()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var server = await client.Servers.CreateServerAsync(cluster, Sample.Server("s1", 1));

        using var response = await factory.HttpClient().GetAsync($"/apis/clp/v1/clusters/{cluster}/servers/s1");

        Assert.Equal(response.Headers.ETag?.ToString(), ClpETag.Of(server));
        Assert.Equal(ClpETag.Of(server), ClpETag.Of(long.Parse(server.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Of_ObjectNeverRead_Throws()
    {
        Assert.Throws<ArgumentException>(() => ClpETag.Of(new Server { Metadata = { Name = "s1" } }));
    }
}
