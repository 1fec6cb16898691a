using System.Net;
using System.Text;
using System.Threading.Channels;

namespace Clp.Client.Tests.Support;

/// <summary>A server replaced by a script, for wire conditions the real clp-api cannot be made to produce on
/// demand (an <c>Error</c> event mid-stream, a 503, a non-problem error body, a silent stream): each request
/// is reported and answered by the next queued reply, or waits for one.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Channel<Func<HttpRequestMessage, HttpResponseMessage>> _replies = Channel.CreateUnbounded<Func<HttpRequestMessage, HttpResponseMessage>>();
    private readonly Channel<HttpRequestMessage> _requests = Channel.CreateUnbounded<HttpRequestMessage>();

    public HttpClient Client() => new(this) { BaseAddress = new Uri("http://clp.test/") };

    public Task<HttpRequestMessage> NextRequestAsync(string awaited) => _requests.Reader.ReadAsync(awaited);

    /// <summary>Whether a request arrived that no <see cref="NextRequestAsync"/> has taken.</summary>
    public bool HasPendingRequest() => _requests.Reader.TryPeek(out _);

    public void Reply(Func<HttpRequestMessage, HttpResponseMessage> reply) => _replies.Writer.TryWrite(reply);

    /// <summary>A 200 event stream that sends <paramref name="sse"/> and ends.</summary>
    public void ReplyEvents(string sse) => Reply(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = Sse(new MemoryStream(Encoding.UTF8.GetBytes(sse))) });

    /// <summary>A 200 event stream that sends <paramref name="sse"/> and then stays open, silent, until the
    /// reader gives up.</summary>
    public void ReplyEventsThenSilence(string sse) => Reply(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = Sse(new SilentAfterStream(Encoding.UTF8.GetBytes(sse))) });

    public void ReplyStatus(HttpStatusCode status, string body = "", string mediaType = "application/problem+json") =>
        Reply(_ => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });

    /// <summary>An SSE event as clp-api writes it: <c>id</c> = resourceVersion, data = type and object.</summary>
    public static string Event(string type, long resourceVersion, string kind, string name) =>
        $$$$"""
        event: {{{{type}}}}
        data: {"type":"{{{{type}}}}","object":{"apiVersion":"clp/v1","kind":"{{{{kind}}}}","metadata":{"name":"{{{{name}}}}","cluster":"c1","resourceVersion":"{{{{resourceVersion}}}}"},"spec":{}}}
        id: {{{{resourceVersion}}}}


        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Writer.TryWrite(request);
        var reply = await _replies.Reader.ReadAsync(cancellationToken);
        var response = reply(request);
        response.RequestMessage = request;
        return response;
    }

    private static StreamContent Sse(Stream body) =>
        new(body) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream") } };

    /// <summary>Sends its bytes, then blocks every read until the reader cancels.</summary>
    private sealed class SilentAfterStream(byte[] first) : MemoryStream(first)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }
}
