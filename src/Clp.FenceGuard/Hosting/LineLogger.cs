namespace Clp.FenceGuard.Hosting;

/// <summary>The guard's whole logging stack: one line per event on stderr (the agent points it at
/// <c>{state}/fence-guard.log</c>), "time level category: message". No logging framework: the guard stays small.</summary>
public sealed class LineLoggerFactory(TimeProvider time, TextWriter output) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new LineLogger(categoryName[(categoryName.LastIndexOf('.') + 1)..], time, output);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class LineLogger(string category, TimeProvider time, TextWriter output) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}";
            lock (output)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }
    }
}
