using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace LstmLab.Cli.Tests;

// Provenance (whole file) (hand): the bounds are a timeout and the range of repeat files an interrupted 200-repeat
// run can have kept; no computed value.

/// <summary>
/// Results that cannot be mixed, through the command line: resume checks each repeat's content
/// identity (data values, settings, index, seed), a second process cannot write the same folder,
/// killed runs resume, compare refuses runs made with different settings.
/// </summary>
[Collection("Console")]
public sealed class ResultsSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-safety-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteProject(int repeats, int epochs, double bump = 0)
    {
        var lines = new List<string> { "month,units" };
        for (int t = 0; t < 30; t++)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{2020 + t / 12}-{t % 12 + 1:D2},{100 + 3 * t + 10 * Math.Sin(t) + (t == 7 ? bump : 0)}"));
        File.WriteAllLines(Path.Combine(_dir, "units.csv"), lines);
        string file = Path.Combine(_dir, "units.yaml");
        File.WriteAllText(file, string.Create(CultureInfo.InvariantCulture,
            $"name: units\ndata: units.csv\ncolumn: units\ndate_column: month\nrepeats: {repeats}\nbase:\n  epochs: {epochs}\n  test: 6\nconfigurations:\n  a: {{}}\n"));
        return file;
    }

    private static Process StartChild(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "LstmLab.Cli.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string a in args)
            info.ArgumentList.Add(a);
        var child = Process.Start(info)!;
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    private static void WaitFor(Func<bool> condition, Process child, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(child.HasExited, $"the child process ended (exit code {(child.HasExited ? child.ExitCode : 0)}) before {what}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "timed out waiting for " + what);
            Thread.Sleep(50);
        }
    }

    private static int RepeatFiles(string output) =>
        Directory.Exists(Path.Combine(output, "repeats", "a")) ? Directory.GetFiles(Path.Combine(output, "repeats", "a"), "repeat-*.json").Length : 0;

    [Fact]
    public void A_run_killed_then_resumed_with_an_edited_data_file_is_refused_and_resumes_once_restored()
    {
        string file = WriteProject(repeats: 200, epochs: 30);
        string output = Path.Combine(_dir, "killed");
        using (Process child = StartChild("experiment", "run", file, "--out", output, "--parallel", "1"))
        {
            WaitFor(() => RepeatFiles(output) >= 2, child, "two repeats were written");
            child.Kill();
            child.WaitForExit();
        }
        int kept = RepeatFiles(output);
        Assert.InRange(kept, 2, 199);

        // The same path, other values: nothing may be pooled.
        WriteProject(repeats: 200, epochs: 30, bump: 5);
        (int code, _, string stderr) = CliRunner.Run("experiment", "run", file, "--out", output, "--repeats", "3");
        string error = ErrorContractTests.OneErrorLine(code, stderr);
        Assert.Contains("computed from other data", error, StringComparison.Ordinal);
        Assert.Contains("repeat-0000.json", error, StringComparison.Ordinal);
        Assert.Contains("restore the data", error, StringComparison.Ordinal);
        Assert.Equal(kept, RepeatFiles(output));

        // Restored: the finished repeats count again and only the missing ones run.
        WriteProject(repeats: 200, epochs: 30);
        (code, _, stderr) = CliRunner.Run("experiment", "run", file, "--out", output, "--repeats", kept + 1 + "");
        Assert.True(code == 0, stderr);
        Assert.Contains($"Resuming: {kept} of {kept + 1} repeats are already finished", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(output, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_second_run_on_the_same_out_is_refused_with_the_holders_pid_and_start_time()
    {
        string file = WriteProject(repeats: 400, epochs: 30);
        string output = Path.Combine(_dir, "busy");
        using (Process child = StartChild("experiment", "run", file, "--out", output, "--parallel", "1"))
        {
            WaitFor(() => File.Exists(Path.Combine(output, ".lstmlab.lock.holder")), child, "the child took the lock");
            (int code, _, string stderr) = CliRunner.Run("experiment", "run", file, "--out", output, "--repeats", "1");
            string error = ErrorContractTests.OneErrorLine(code, stderr);
            Assert.Contains($"PID {child.Id}, started ", error, StringComparison.Ordinal);
            Assert.Contains("UTC", error, StringComparison.Ordinal);
            Assert.Contains("choose another results folder", error, StringComparison.Ordinal);
            child.Kill();
            child.WaitForExit();
        }
        // A killed holder releases the lock: the folder is usable again at once.
        (int after, _, string err) = CliRunner.Run("experiment", "run", file, "--out", output, "--repeats", "1");
        Assert.True(after == 0, err);
    }

    [Fact]
    public void A_repeat_file_that_disagrees_with_its_name_or_seed_is_refused_by_name()
    {
        string file = WriteProject(repeats: 2, epochs: 3);
        string output = Path.Combine(_dir, "tampered");
        Assert.Equal(0, CliRunner.Run("experiment", "run", file, "--out", output).ExitCode);
        string folder = Path.Combine(output, "repeats", "a");
        File.Copy(Path.Combine(folder, "repeat-0000.json"), Path.Combine(folder, "repeat-0001.json"), overwrite: true);
        (int code, _, string stderr) = CliRunner.Run("experiment", "run", file, "--out", output);
        string error = ErrorContractTests.OneErrorLine(code, stderr);
        Assert.Contains("repeat-0001.json", error, StringComparison.Ordinal);
        Assert.Contains("holds repeat 0, not repeat 1", error, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder, "repeat-0001.json"));
        string zero = Path.Combine(folder, "repeat-0000.json");
        string text = File.ReadAllText(zero);
        string seed = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("seed").GetRawText();
        File.WriteAllText(zero, text.Replace("\"seed\": " + seed, "\"seed\": 12345", StringComparison.Ordinal));
        (code, _, stderr) = CliRunner.Run("experiment", "run", file, "--out", output);
        Assert.Contains("was made with seed 12345", ErrorContractTests.OneErrorLine(code, stderr), StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(folder, "repeat-7.json"), "{}");
        File.Delete(zero);
        (code, _, stderr) = CliRunner.Run("experiment", "run", file, "--out", output);
        Assert.Contains("is not a name lstmlab gives repeat files", ErrorContractTests.OneErrorLine(code, stderr), StringComparison.Ordinal);
    }

    [Fact]
    public void An_experiment_name_that_is_not_one_folder_name_never_becomes_a_path()
    {
        string file = Path.Combine(_dir, "evil.yaml");
        foreach (string name in new[] { "../escape", "/tmp/absolute", "..", "a/b" })
        {
            File.WriteAllText(file, $"name: '{name}'\nrepeats: 1\nbase: {{ epochs: 1 }}\nconfigurations:\n  a: {{}}\n");
            (int code, _, string stderr) = CliRunner.Run("experiment", "run", file);
            Assert.Contains("cannot be used as a folder name", ErrorContractTests.OneErrorLine(code, stderr), StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists("lstmlab-results/../escape"));
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "absolute")));
    }

    [Fact]
    public void Compare_refuses_runs_with_different_settings_unless_allowed_and_then_lists_the_differences_first()
    {
        string ten = Path.Combine(_dir, "ten"), twenty = Path.Combine(_dir, "twenty"), again = Path.Combine(_dir, "again");
        Assert.Equal(0, CliRunner.Run("run", "shampoo", "--experiment", "a-vs-a", "--repeats", "2", "--epochs", "3", "--out", ten).ExitCode);
        Assert.Equal(0, CliRunner.Run("run", "shampoo", "--experiment", "a-vs-a", "--repeats", "3", "--epochs", "3", "--out", again).ExitCode);
        Assert.Equal(0, CliRunner.Run("run", "shampoo", "--experiment", "a-vs-a", "--repeats", "2", "--epochs", "4", "--out", twenty).ExitCode);

        // Same settings (the number of repeats is not a setting of a repeat): compared.
        (int code, string stdout, string stderr) = CliRunner.Run("experiment", "compare", ten, again);
        Assert.True(code == 0, stderr);

        (code, _, stderr) = CliRunner.Run("experiment", "compare", ten, twenty);
        string error = ErrorContractTests.OneErrorLine(code, stderr);
        Assert.Contains("different settings", error, StringComparison.Ordinal);
        Assert.Contains("epochs: 3 (" + ten + "), 4 (" + twenty + ")", error, StringComparison.Ordinal);
        Assert.Contains("--allow-different-settings", error, StringComparison.Ordinal);

        string combined = Path.Combine(_dir, "combined");
        (code, stdout, stderr) = CliRunner.Run("experiment", "compare", ten, twenty, "--allow-different-settings", "--out", combined);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("Settings differ between the compared runs", stdout, StringComparison.Ordinal);
        string[] report = File.ReadAllLines(Path.Combine(combined, "report.md"));
        Assert.StartsWith("# comparison of", report[0], StringComparison.Ordinal);
        Assert.StartsWith("Settings differ between the compared runs", report[2], StringComparison.Ordinal);
        Assert.Contains("epochs: 3", report[2], StringComparison.Ordinal);
    }
}
