namespace Clp.Core.Model;

/// <summary>An alert-log entry: a state change or failure with module, event id and severity.</summary>
public sealed class Event : ClpObject<EventSpec, EventStatus>
{
}

public sealed class EventSpec
{
    /// <summary>The emitting module, e.g. <c>rc</c> (resource control), <c>rm</c> (monitors), <c>nm</c>.</summary>
    public string Module { get; set; } = "";

    public int EventId { get; set; }

    public EventSeverity Severity { get; set; } = EventSeverity.Info;

    public string Message { get; set; } = "";

    /// <summary>The object the event is about.</summary>
    public ObjectReference? Object { get; set; }

    /// <summary>The server it happened on, if any.</summary>
    public string? Server { get; set; }

    /// <summary>When it happened (the emitter's clock); the server's time when omitted.</summary>
    public DateTimeOffset? Time { get; set; }
}

public enum EventSeverity
{
    Info,
    Warning,
    Error,
}

public sealed class EventStatus : ObjectStatus
{
}
