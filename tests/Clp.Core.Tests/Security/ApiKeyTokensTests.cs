using Clp.Core.Security;

namespace Clp.Core.Tests.Security;

public class ApiKeyTokensTests
{
    [Fact]
    public void NewClusterKey_Parses_BackToClusterAndName()
    {
        var key = ApiKeyTokens.NewClusterKey("cluster-1", "ops_key");
        Assert.True(ApiKeyTokens.TryParseClusterKey(key, out var cluster, out var name));
        Assert.Equal(("cluster-1", "ops_key"), (cluster, name));
    }

    [Theory]
    [InlineData("a-long-bootstrap-admin-key")]
    [InlineData("clp.c1.k1.short")]
    [InlineData("clp.c1.k.1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("xyz.c1.k1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void TryParseClusterKey_OtherStrings_AreNotClusterKeys(string token) =>
        Assert.False(ApiKeyTokens.TryParseClusterKey(token, out _, out _));

    [Fact]
    public void Matches_OnlyTheSameKey()
    {
        var key = ApiKeyTokens.NewClusterKey("c1", "k1");
        var hash = ApiKeyTokens.Hash(key);
        Assert.DoesNotContain(key.Split('.')[3], hash);
        Assert.True(ApiKeyTokens.Matches(key, hash));
        Assert.False(ApiKeyTokens.Matches(key + "x", hash));
        Assert.False(ApiKeyTokens.Matches(key, null));
    }

    [Fact]
    public void NewSecret_IsRandomAnd256Bits()
    {
        var a = ApiKeyTokens.NewSecret();
        Assert.NotEqual(a, ApiKeyTokens.NewSecret());
        Assert.Equal(43, a.Length);
    }
}
