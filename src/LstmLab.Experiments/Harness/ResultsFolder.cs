using System.Diagnostics;
using System.Globalization;

namespace LstmLab.Experiments.Harness;

/// <summary>
/// A results folder held by one process at a time. <see cref="Acquire"/> checks the folder before any
/// work starts (a file where a folder should be, a folder that cannot be created or written), then
/// takes an exclusive lock on <c>.lstmlab.lock</c> inside it; a second process asking for the same folder
/// is refused with the holder's PID and start time. The lock is the operating system's (an advisory
/// file lock), so a process that is killed releases it.
/// </summary>
public sealed class ResultsFolder : IDisposable
{
    /// <summary>The lock file's name inside the folder.</summary>
    public const string LockFileName = ".lstmlab.lock";

    /// <summary>The file, beside the lock, that says who holds it.</summary>
    public const string HolderFileName = ".lstmlab.lock.holder";

    private readonly FileStream _lock;
    private readonly string _holderPath;

    private ResultsFolder(string path, FileStream lockStream, string holderPath)
    {
        Path = path;
        _lock = lockStream;
        _holderPath = holderPath;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Checks, creates and locks <paramref name="path"/> for this process.</summary>
    /// <exception cref="IOException">The path is a file, cannot be created or written, or another process holds it.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be created or written.</exception>
    public static ResultsFolder Acquire(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Prepare(path);
        string lockPath = System.IO.Path.Combine(path, LockFileName);
        string holderPath = System.IO.Path.Combine(path, HolderFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"The results folder '{path}' cannot be written: {e.Message}", e);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException) && File.Exists(lockPath))
        {
            string holder = ReadHolder(holderPath) ?? "another process";
            throw new IOException(
                $"The results folder '{path}' is in use by {holder}: two runs writing one folder would mix their repeats. " +
                "Wait for that run to finish (or stop it), or choose another results folder.", e);
        }
        catch (IOException e)
        {
            throw new IOException($"The results folder '{path}' cannot be written: {e.Message}", e);
        }
        try
        {
            using Process self = Process.GetCurrentProcess();
            string holder = string.Create(CultureInfo.InvariantCulture,
                $"lstmlab (PID {Environment.ProcessId}, started {self.StartTime.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC on {Environment.MachineName})");
            AtomicFile.WriteAllText(holderPath, holder + "\n");
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return new ResultsFolder(path, stream, holderPath);
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is, or can become, a folder this process can write, and
    /// creates it; the messages say what is wrong in the user's terms.
    /// </summary>
    /// <exception cref="IOException">The path is a file, or the folder cannot be created.</exception>
    public static void Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
            throw new IOException($"The results folder '{path}' is a file, not a folder: choose another folder, or move the file away.");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"The results folder '{path}' cannot be created: {e.Message}", e);
        }
        catch (IOException e)
        {
            string? blocker = FirstFileOnTheWay(path);
            throw new IOException(blocker is null
                ? $"The results folder '{path}' cannot be created: {e.Message}"
                : $"The results folder '{path}' cannot be created: '{blocker}' on its path is a file, not a folder.", e);
        }
    }

    /// <summary>
    /// Checks that <paramref name="name"/> (an experiment or configuration name) can become one folder
    /// name: not empty, not <c>.</c> or <c>..</c>, no path separators, no absolute path, no characters
    /// a file name cannot hold.
    /// </summary>
    /// <param name="what">What the name is, for the message ("experiment name").</param>
    /// <exception cref="ArgumentException">The name cannot be used as a folder name.</exception>
    public static void CheckName(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        string? problem = name.Length == 0 ? "it is empty"
            : name is "." or ".." ? "'.' and '..' name folders that already exist"
            : name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) ? "it contains a path separator"
            : System.IO.Path.IsPathRooted(name) ? "it is an absolute path"
            : name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || name.Any(char.IsControl) || name.Contains(':', StringComparison.Ordinal) ? "it contains a character a file name cannot hold"
            : name.Length > 100 ? "it is longer than 100 characters"
            : null;
        if (problem is not null)
            throw new ArgumentException($"The {what} '{name}' cannot be used as a folder name: {problem}. Use letters, digits, '_', '-' and '.'.");
    }

    private static string? ReadHolder(string holderPath)
    {
        try
        {
            string text = File.ReadAllText(holderPath).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FirstFileOnTheWay(string path)
    {
        string? current = System.IO.Path.GetFullPath(path);
        while (current is not null)
        {
            if (File.Exists(current))
                return current;
            current = System.IO.Path.GetDirectoryName(current);
        }
        return null;
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_holderPath);
        }
        catch (IOException)
        {
            // The lock goes with the stream below; a stale holder file is overwritten by the next holder.
        }
        catch (UnauthorizedAccessException)
        {
        }
        _lock.Dispose();
    }
}
