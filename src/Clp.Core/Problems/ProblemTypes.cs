namespace Clp.Core.Problems;

/// <summary>The stable RFC 7807 <c>type</c> URIs of every error CLP answers with; clients switch on these,
/// never on titles or messages.</summary>
public static class ProblemTypes
{
    private const string Base = "urn:clp:problem:";

    /// <summary>400: the object breaks rules; <c>errors</c> maps each field path to its messages and
    /// <c>violations</c> lists field, rule and message.</summary>
    public const string ValidationFailed = Base + "validation-failed";

    /// <summary>400: the body is not JSON of the expected shape (the field is named).</summary>
    public const string MalformedRequest = Base + "malformed-request";

    /// <summary>400: a query parameter is invalid.</summary>
    public const string InvalidParameter = Base + "invalid-parameter";

    public const string Unauthorized = Base + "unauthorized";

    public const string Forbidden = Base + "forbidden";

    public const string NotFound = Base + "not-found";

    /// <summary>409: an object of that kind and name (case-insensitively) exists.</summary>
    public const string AlreadyExists = Base + "already-exists";

    /// <summary>409: the body's <c>metadata.resourceVersion</c> is stale.</summary>
    public const string Conflict = Base + "conflict";

    /// <summary>409: other objects still name the one to delete (listed in <c>dependents</c>).</summary>
    public const string HasDependents = Base + "has-dependents";

    /// <summary>412: <c>If-Match</c> does not name the current resourceVersion.</summary>
    public const string PreconditionFailed = Base + "precondition-failed";

    /// <summary>410: the watch's resourceVersion is older than the retained history; list again.</summary>
    public const string Gone = Base + "resource-version-gone";

    /// <summary>415: the body's content type is not JSON.</summary>
    public const string UnsupportedMediaType = Base + "unsupported-media-type";

    /// <summary>405: the path exists, the method does not.</summary>
    public const string MethodNotAllowed = Base + "method-not-allowed";

    /// <summary>409 to a renewal: this incarnation does not hold the lease (the controller revoked it, a
    /// newer incarnation took it over, or it was never acquired). The agent fences, if it has not
    /// already, and rejoins with a new incarnation.</summary>
    public const string LeaseRevoked = Base + "lease-revoked";

    /// <summary>409 to an acquire: the incarnation is not higher than the holder's (each agent start
    /// must use a new, higher one).</summary>
    public const string StaleIncarnation = Base + "stale-incarnation";

    public const string Internal = Base + "internal";
}
