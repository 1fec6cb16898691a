using System.Text;

namespace Clp.Drivers.Linux.Resources;

/// <summary>File helpers for the drivers' state folder: safe names and atomic writes.</summary>
internal static class FileNames
{
    /// <summary>A file name for a resource name (resource names are DNS labels; anything else is escaped).</summary>
    public static string Safe(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.Length == 0 || builder[0] == '.' ? "_" + builder : builder.ToString();
    }

    /// <summary>Writes a temporary file beside <paramref name="path"/> and renames it over the target, so a reader
    /// sees the old content or the new one, never a half-written file.</summary>
    public static void WriteAtomically(string path, string content)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.ASCII.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The last <paramref name="count"/> non-empty lines of a text file written after byte
    /// <paramref name="from"/>, joined with " | " (empty when it cannot be read).</summary>
    public static string Tail(string path, long from = 0, int count = 5)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Max(from, stream.Length - 8192), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return string.Join(" | ", lines.TakeLast(count));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The size of a file, 0 when it does not exist.</summary>
    public static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
