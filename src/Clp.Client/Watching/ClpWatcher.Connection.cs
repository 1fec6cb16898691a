using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Clp.Client.Problems;
using Microsoft.Extensions.Logging;

namespace Clp.Client.Watching;

/// <summary>One connection of the watch loop: open it and classify the answer, read an <c>Error</c> event,
/// call the relist, wait out a backoff; and the log messages.</summary>
public sealed partial class ClpWatcher
{
    private enum Outcome
    {
        Streaming,
        Ended,
        Gone,
        Transient,
        Canceled,
    }

    /// <summary>Opens the stream after <paramref name="last"/>: the response to read, or why there is none.
    /// Terminal answers throw.</summary>
    private async Task<(HttpResponseMessage? Response, Outcome Outcome)> ConnectAsync(string path, long last, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        // clp-api writes its error problems only for a client that accepts them: without this a 404 or a
        // 410 before the stream would come back as an empty 500 or an empty 410.
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, Outcome.Canceled);
        }
        catch (Exception e) when (IsTransient(e))
        {
            LogConnectFailed(path, e.Message, last);
            return (null, Outcome.Transient);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // Some handlers answer a cancelled request (TestServer: 499) instead of throwing.
            response.Dispose();
            return (null, Outcome.Canceled);
        }

        if (response.IsSuccessStatusCode)
        {
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                var type = response.Content.Headers.ContentType?.ToString() ?? "no content type";
                response.Dispose();
                throw new InvalidDataException($"watch {path}: the server answered {(int)response.StatusCode} with {type}, not text/event-stream; is the base address a clp-api?");
            }

            LogConnected(path, last);
            return (response, Outcome.Streaming);
        }

        using (response)
        {
            var problem = await ReadProblemAsync(response, cancellationToken);
            if (problem is null)
            {
                return (null, Outcome.Canceled);
            }

            if (problem is ClpGoneException)
            {
                LogGone(path, last, problem.Detail);
                return (null, Outcome.Gone);
            }

            if (IsTransient(problem))
            {
                LogConnectFailed(path, problem.Message, last);
                return (null, Outcome.Transient);
            }

            throw problem;
        }
    }

    private Outcome OnErrorEvent(string path, JsonElement data, long last)
    {
        var problem = ProblemReader.Create(data.ValueKind == JsonValueKind.Object && data.TryGetProperty("status", out var s) && s.TryGetInt32(out var status)
            ? ProblemReader.FromJson(status, data)
            : new ClpProblem { Status = 500, Detail = $"an Error event without a problem status: {data}" });
        if (problem is ClpGoneException)
        {
            LogGone(path, last, problem.Detail);
            return Outcome.Gone;
        }

        LogBroken(path, problem.Message, last);
        return Outcome.Ended;
    }

    private async Task<long?> TryRelistAsync(string path, Func<CancellationToken, Task<long>> relist, CancellationToken cancellationToken)
    {
        try
        {
            var version = await relist(cancellationToken);
            LogRelisted(path, version);
            return version;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (IsTransient(e))
        {
            LogRelistFailed(path, e.Message);
            return null;
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<ClpProblemException?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await ProblemReader.ReadAsync(response, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Worth retrying: the server or the path to it may recover. HttpClient's own timeout surfaces
    /// as a cancellation that the caller did not ask for.</summary>
    private static bool IsTransient(Exception e) => e switch
    {
        ClpProblemException p => p.Status is >= 500 or (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests,
        HttpRequestException or IOException or TimeoutException => true,
        OperationCanceledException => true,
        _ => false,
    };

    private static bool TryVersion(SseItem<JsonElement> item, out long version) =>
        long.TryParse(item.EventId, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    private static WatchEventType? ChangeType(string eventType) => eventType switch
    {
        "Added" => WatchEventType.Added,
        "Modified" => WatchEventType.Modified,
        "Deleted" => WatchEventType.Deleted,
        _ => null,
    };

    /// <summary>The <c>object</c> of a change's data (<c>{"type":..,"object":..}</c>).</summary>
    private static JsonElement ObjectOf(string path, SseItem<JsonElement> item) =>
        item.Data.ValueKind == JsonValueKind.Object && item.Data.TryGetProperty("object", out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new InvalidDataException($"watch {path}: the {item.EventType} event {item.EventId} carries no object");

    private static JsonElement ParseData(string eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"a {eventType} event's data is not JSON: {e.Message}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch {Path} connected after resourceVersion {After}")]
    private partial void LogConnected(string path, long after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch {Path} could not connect after resourceVersion {After}: {Reason}")]
    private partial void LogConnectFailed(string path, string reason, long after);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch {Path} broke after resourceVersion {After}: {Reason}")]
    private partial void LogBroken(string path, string reason, long after);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch {Path} brought no event for {IdleTimeout}; resuming after resourceVersion {After}")]
    private partial void LogIdle(string path, TimeSpan idleTimeout, long after);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch {Path}: resourceVersion {After} is no longer in the server's history ({Detail}); relisting")]
    private partial void LogGone(string path, long after, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch {Path} relisted at resourceVersion {ResourceVersion}")]
    private partial void LogRelisted(string path, long resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch {Path}: the relist failed: {Reason}")]
    private partial void LogRelistFailed(string path, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch {Path}: attempt {Failures} in a row delivered nothing; reconnecting after resourceVersion {After} in {Delay}")]
    private partial void LogBackoff(string path, int failures, TimeSpan delay, long after);
}
