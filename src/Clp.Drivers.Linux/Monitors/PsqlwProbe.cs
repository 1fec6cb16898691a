using Clp.Core.Drivers;
using Npgsql;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>psqlw</c>: opens a new connection to PostgreSQL (host may be a Unix socket folder), runs query
/// and reads every row it returns. A connection, authentication or query error is an error; the monitor's
/// timeout bounds the whole probe (Npgsql's own connect and command timeouts are off).</summary>
/// <remarks>Pooling is off: each probe proves that the server still accepts connections. The password, when
/// needed, is the first line of passwordFile.</remarks>
internal sealed class PsqlwProbe : Probe
{
    public override string Type => "psqlw";

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parameters.String("host"),
            Port = (int)parameters.Integer("port"),
            Database = parameters.String("database"),
            Username = parameters.String("user"),
            ApplicationName = "clp-psqlw " + context.Monitor,
            Pooling = false,
            Timeout = 0,
            CommandTimeout = 0,
            CancellationTimeout = -1,
        };
        if (parameters.OptionalString("passwordFile") is { } passwordFile)
        {
            try
            {
                var text = await File.ReadAllTextAsync(passwordFile, cancellationToken);
                builder.Password = text.Split('\n')[0].TrimEnd('\r');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return ProbeResult.Failed($"password file {passwordFile}: {e.Message}");
            }
        }

        var query = parameters.String("query");
        var where = $"{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        var phase = "connect to";
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            phase = "query on";
            await using var command = new NpgsqlCommand(query, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = 0;
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows++;
                }
            }
            while (await reader.NextResultAsync(cancellationToken));

            return ProbeResult.Ok($"{where}: {rows} row(s)");
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is PostgresException pg ? $"{pg.SqlState} {pg.MessageText}" : e.InnerException?.Message ?? e.Message;
            return ProbeResult.Failed($"{phase} {where} failed: {reason}");
        }
    }
}
