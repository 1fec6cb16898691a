using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace Clp.Client.Tests.Support;

/// <summary>Sits in front of the real server for watch requests: reports each one (with its
/// <c>Last-Event-ID</c>) and, while <see cref="Hold"/> is set, holds it until the test releases it; can answer
/// the next requests itself (<see cref="FailNext"/>); and can cut every open stream as a server closing
/// the connection would (<see cref="CutAll"/>). Other requests pass through untouched.</summary>
internal sealed class WatchTap : DelegatingHandler
{
    private readonly Channel<WatchRequest> _requests = Channel.CreateUnbounded<WatchRequest>();
    private readonly ConcurrentQueue<HttpStatusCode> _failures = new();
    private readonly ConcurrentBag<CuttableStream> _open = [];

    /// <summary>Hold each watch request until <see cref="WatchRequest.Release"/>.</summary>
    public bool Hold { get; set; }

    public Task<WatchRequest> NextRequestAsync(string awaited) => _requests.Reader.ReadAsync(awaited);

    public bool HasPendingRequest => _requests.Reader.TryPeek(out _);

    /// <summary>The next watch request is answered <paramref name="status"/> with a problem body, unsent.</summary>
    public void FailNext(HttpStatusCode status) => _failures.Enqueue(status);

    /// <summary>Ends every stream opened so far as if the server had closed it.</summary>
    public void CutAll()
    {
        foreach (var stream in _open)
        {
            stream.Cut();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.AbsolutePath.Contains("/watch/", StringComparison.Ordinal) != true)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var lastEventId = request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null;
        var entry = new WatchRequest(lastEventId);
        if (!Hold)
        {
            entry.Release();
        }

        _requests.Writer.TryWrite(entry);
        await entry.Released.WaitAsync(cancellationToken);
        if (_failures.TryDequeue(out var status))
        {
            return new HttpResponseMessage(status)
            {
                RequestMessage = request,
                Content = new StringContent($$"""{"type":"urn:test:injected","title":"injected","status":{{(int)status}}}""", Encoding.UTF8, "application/problem+json"),
            };
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return response;
        }

        var stream = new CuttableStream(await response.Content.ReadAsStreamAsync(cancellationToken));
        _open.Add(stream);
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
        response.Content = content;
        return response;
    }

    /// <summary>A watch request as it reached the tap.</summary>
    internal sealed class WatchRequest(string? lastEventId)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? LastEventId { get; } = lastEventId;

        public Task Released => _released.Task;

        public void Release() => _released.TrySetResult();
    }

    /// <summary>Reads through to the server's stream until cut, then reports the end of the stream.</summary>
    private sealed class CuttableStream(Stream inner) : Stream
    {
        private readonly CancellationTokenSource _cut = new();

        public void Cut() => _cut.Cancel();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_cut.IsCancellationRequested)
            {
                return 0;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cut.Token);
            try
            {
                return await inner.ReadAsync(buffer, linked.Token);
            }
            catch (OperationCanceledException) when (_cut.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                _cut.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
