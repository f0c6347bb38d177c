using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace LstmLab.Integration.Tests;

/// <summary>The built <c>lstmlab</c> CLI, run as separate processes.</summary>
internal static class Cli
{
    public static string Dll { get; } = typeof(Cli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LstmLabCli").Value!;

    /// <summary>Runs the CLI to the end; returns exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using CliProcess p = CliProcess.Start(workingDirectory, args);
        if (!p.Process.WaitForExit(timeout))
        {
            p.Process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lstmlab {string.Join(' ', args)} did not end within {timeout}:\n{p.Output}\n{p.Errors}");
        }
        p.Process.WaitForExit();
        return (p.Process.ExitCode, p.Output, p.Errors);
    }
}

/// <summary>A running CLI process whose output is collected.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private CliProcess(Process process) => Process = process;

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_out)
                return _out.ToString();
        }
    }

    public string Errors
    {
        get
        {
            lock (_err)
                return _err.ToString();
        }
    }

    public static CliProcess Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Cli.Dll);
        foreach (string a in args)
            info.ArgumentList.Add(a);
        info.Environment.Remove("LSTMLAB_STORE");
        var process = new Process { StartInfo = info };
        var result = new CliProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (result._out)
                    result._out.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (result._err)
                    result._err.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Sends SIGTERM (a polite stop) and waits for the exit.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        if (Process.HasExited)
            return true;
        using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        return Process.WaitForExit(timeout);
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        Process.Dispose();
    }
}
