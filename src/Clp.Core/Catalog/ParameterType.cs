namespace Clp.Core.Catalog;

/// <summary>The JSON shape and syntax a parameter value must have.</summary>
public enum ParameterType
{
    /// <summary>A JSON string; when required it must not be blank.</summary>
    String,

    /// <summary>A JSON integer literal (no fraction, no exponent) within <see cref="ParameterSchema.Minimum"/>
    /// and <see cref="ParameterSchema.Maximum"/>.</summary>
    Integer,

    /// <summary>JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A literal IPv4 or IPv6 address, no host name, no prefix.</summary>
    IpAddress,

    /// <summary>An address with a prefix length, e.g. <c>10.0.0.0/24</c>.</summary>
    Cidr,

    /// <summary>A JSON integer 1-65535.</summary>
    Port,

    /// <summary>An absolute http or https URL with a host.</summary>
    Url,

    /// <summary>An absolute file-system path on the server: starts with <c>/</c>, at most 4096 characters, no
    /// control characters.</summary>
    Path,

    /// <summary>A JSON string equal (case-sensitively) to one of <see cref="ParameterSchema.Values"/>.</summary>
    Enum,

    /// <summary>A JSON array of strings; Minimum/Maximum bound the item count.</summary>
    StringList,

    /// <summary>A JSON array of literal IP addresses; Minimum/Maximum bound the item count.</summary>
    IpAddressList,

    /// <summary>A JSON object whose values are strings; Minimum/Maximum bound the entry count.</summary>
    StringMap,
}
