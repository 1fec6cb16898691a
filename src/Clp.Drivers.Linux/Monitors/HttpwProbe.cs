using System.Security.Authentication;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>httpw</c>: one HTTP(S) request (GET or HEAD) to url on a new connection, answered with
/// expectedStatus. A transport or TLS error, or another status, is an error; redirects are not followed (a 302
/// is a status like any other). verifyTls=false accepts any server certificate.</summary>
internal sealed class HttpwProbe : Probe
{
    public override string Type => "httpw";

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var text = parameters.String("url");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"httpw parameter url {text} is not an http or https URL");
        }

        var method = new HttpMethod(parameters.String("method"));
        var expected = (int)parameters.Integer("expectedStatus");
        var verifyTls = parameters.Boolean("verifyTls");

        // A fresh handler per probe: no pooled connection hides a server that stopped accepting new ones.
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        if (!verifyTls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(method, url);
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return status == expected
                ? ProbeResult.Ok($"{method} {url}: {status}")
                : ProbeResult.Failed($"{method} {url}: status {status} {response.ReasonPhrase}, expected {expected}");
        }
        catch (HttpRequestException e)
        {
            var cause = e.InnerException is AuthenticationException tls ? $"TLS: {tls.Message}" : e.Message;
            return ProbeResult.Failed($"{method} {url} failed: {cause}{(e.HttpRequestError == HttpRequestError.Unknown ? "" : $" ({e.HttpRequestError})")}");
        }
    }
}
