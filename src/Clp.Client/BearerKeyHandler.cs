using System.Net.Http.Headers;

namespace Clp.Client;

/// <summary>Sends every request with <c>Authorization: Bearer &lt;key&gt;</c>: the bootstrap admin key, or a
/// cluster key (<c>clp.&lt;cluster&gt;.&lt;name&gt;.&lt;secret&gt;</c>) created under <c>/apikeys</c>.</summary>
public sealed class BearerKeyHandler : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _header;

    public BearerKeyHandler(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _header = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>As <see cref="BearerKeyHandler(string)"/>, sending through <paramref name="innerHandler"/>.</summary>
    public BearerKeyHandler(string key, HttpMessageHandler innerHandler)
        : this(key)
    {
        InnerHandler = innerHandler;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _header;
        return base.SendAsync(request, cancellationToken);
    }
}
