namespace LstmLab.Interchange;

/// <summary>
/// Writes a file so that it is either wholly there or not changed at all: the content goes to a temporary file
/// of a unique name beside the target, is flushed to disk, then moved over the target in one rename. When the
/// writer fails, the temporary file is deleted and whatever was at the target before is left as it was.
/// </summary>
internal static class AtomicFile
{
    /// <exception cref="IOException">The target is a directory, or cannot be written.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"Cannot save to '{path}': it is a directory.");
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Best effort: the original error is the one to report.
            }
            throw;
        }
    }
}
