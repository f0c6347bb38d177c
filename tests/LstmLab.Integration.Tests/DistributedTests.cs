using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using LstmLab.Experiments.Store;
using Xunit;
using Xunit.Abstractions;

namespace LstmLab.Integration.Tests;

// Provenance (whole file) (hand): unit counts restate the experiments the tests submit (configurations × repeats) and
// epochs × units for the metric rows.

/// <summary>
/// Submit, workers (separate processes of the built CLI), kill, status, report, against a real PostgreSQL.
/// Small units (shampoo, a few hundred epochs) keep the whole class to well under two minutes.
/// </summary>
[Collection("PostgreSQL")]
public sealed class DistributedTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-it-").FullName;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private void Log(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {what}");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [PostgresFact]
    public void Three_workers_one_killed_mid_unit_complete_every_unit_once_and_report_as_a_local_run()
    {
        using var db = new TestDatabase();
        const int epochs = 600;
        string file = Write("grid.yaml", $"name: grid\ndescription: kill test\ndata: shampoo\nrepeats: 3\nseed: 5\nbase:\n  epochs: {epochs}\nconfigurations:\n  stateful: {{}}\n  stateless: {{ stateful: false }}\n");

        JsonElement first = Submit(db, file);
        Assert.Equal(6, first.GetProperty("enqueued").GetInt32());
        string id = first.GetProperty("id").GetString()!;
        JsonElement again = Submit(db, file);
        Assert.Equal(0, again.GetProperty("enqueued").GetInt32());
        Assert.Equal(6, again.GetProperty("waiting").GetInt32());
        Assert.Equal(6, db.Scalar("SELECT COUNT(*) FROM hangfire.job"));

        Log("submitted twice");
        var workers = Enumerable.Range(0, 3).Select(_ => CliProcess.Start(_dir, "worker", "--store", db.ConnectionString, "--threads", "1", "--lease", "6")).ToList();
        try
        {
            using ResultsStore store = ResultsStore.Open(db.ConnectionString);
            // Kill (SIGKILL) the worker of the first unit seen running for a while: in the middle of a unit.
            UnitRecord victim = WaitFor(() => store.Units(id).FirstOrDefault(u => u.State == UnitState.Running && u.Started is not null
                && DateTimeOffset.UtcNow - DateTimeOffset.Parse(u.Started, CultureInfo.InvariantCulture) > TimeSpan.FromMilliseconds(200)), "a running unit");
            Log($"killing the worker of {victim.Configuration} #{victim.Repeat}");
            int pid = int.Parse(victim.Worker!.Split(':')[^1], CultureInfo.InvariantCulture);
            CliProcess killed = workers.Single(w => w.Process.Id == pid);
            killed.Process.Kill();
            killed.Process.WaitForExit();

            WaitFor(() => store.Counts(id) is { Done: 6 } c ? c : null, "every unit done", Long);
            Log("every unit done");
            IReadOnlyList<UnitRecord> units = store.Units(id);
            Assert.Equal(6, units.Count);
            Assert.All(units, u => Assert.Equal(UnitState.Done, u.State));
            UnitRecord retried = units.Single(u => u.Configuration == victim.Configuration && u.Repeat == victim.Repeat);
            Assert.True(retried.Attempts >= 2, $"the killed unit was not attempted again: {retried}");
            Assert.NotEqual(victim.Worker, retried.Worker);
            // The 6-second lease is renewed while a unit runs, so no other unit was delivered twice.
            foreach (UnitRecord u in units)
                Log($"{u.Configuration} #{u.Repeat}: {u.Attempts} attempt(s), {u.Worker}, {u.Started} .. {u.Finished}");
            Assert.All(units.Where(u => u != retried), u => Assert.Equal(1, u.Attempts));
            Assert.Equal(6, db.Scalar($"SELECT COUNT(*) FROM metrics WHERE experiment_id = '{id}' AND name = 'rmse'"));
            Assert.Equal(6 * epochs, db.Scalar($"SELECT COUNT(*) FROM metrics WHERE experiment_id = '{id}' AND name = 'loss'"));

            // A second submit of the same file, all done: nothing enqueued.
            JsonElement third = Submit(db, file);
            Assert.Equal(0, third.GetProperty("enqueued").GetInt32());
            Assert.Equal(6, third.GetProperty("done").GetInt32());

            (int code, string status, string err) = Cli.Run(_dir, Long, "experiment", "status", "grid", "--store", db.ConnectionString);
            Assert.True(code == 0, err);
            Assert.Contains("done 6, running 0, failed 0, queued 0", status);

            string distributed = Path.Combine(_dir, "distributed"), local = Path.Combine(_dir, "local");
            (code, _, err) = Cli.Run(_dir, Long, "experiment", "report", "grid", "--store", db.ConnectionString, "--out", distributed);
            Assert.True(code == 0, err);
            (code, _, err) = Cli.Run(_dir, Long, "experiment", "run", file, "--out", local, "--parallel", "2");
            Assert.True(code == 0, err);
            Log("report and local run written");
            AssertSameReport(local, distributed);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"| date | {DateTime.UtcNow:yyyy-MM-dd} 00:00:00 UTC |"), File.ReadAllText(Path.Combine(distributed, "report.md")));

            var alive = workers.Where(w => w != killed).ToArray();
            Assert.All(alive, w => Assert.True(w.Terminate(TimeSpan.FromSeconds(40)), "a worker did not stop on SIGTERM"));
            Assert.All(alive, w => Assert.Equal(0, w.Process.ExitCode));
            Log("workers stopped");
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [PostgresFact]
    public void A_unit_that_fails_is_recorded_with_its_reason_and_the_rest_complete()
    {
        using var db = new TestDatabase();
        // The shampoo series has 36 months; 40 lags cannot be framed from it.
        // `long` units (20000 epochs, 6-7 s alone on a core here, half a minute under load) outlast the 5-second lease: it must be renewed while they run, or they would be delivered twice.
        string file = Write("bad.yaml", "name: bad-data\ndata: shampoo\nrepeats: 2\nbase:\n  epochs: 30\nconfigurations:\n  good: {}\n  long: { epochs: 20000 }\n  too_many_lags: { lag: 40 }\n");
        JsonElement submitted = Submit(db, file);
        string id = submitted.GetProperty("id").GetString()!;
        Assert.Equal(6, submitted.GetProperty("enqueued").GetInt32());

        using (CliProcess worker = CliProcess.Start(_dir, "worker", "--store", db.ConnectionString, "--threads", "2", "--lease", "5"))
        {
            using ResultsStore store = ResultsStore.Open(db.ConnectionString);
            UnitCounts counts = WaitFor(() => store.Counts(id) is { Done: 4, Failed: 2 } c ? c : null, "four done and two failed units", Long);
            Assert.Equal(0, counts.Queued + counts.Running);
            foreach (UnitRecord u in store.Units(id))
            {
                Log($"{u.Configuration} #{u.Repeat}: {u.State}, {u.Attempts} attempt(s), {u.Started} .. {u.Finished}");
                if (u.Configuration != "too_many_lags")
                {
                    Assert.Equal(UnitState.Done, u.State);
                    Assert.Null(u.Error);
                    Assert.Equal(1, u.Attempts);
                }
                else
                {
                    Assert.Equal(UnitState.Failed, u.State);
                    Assert.Contains("the series has 36", u.Error);
                }
            }
            // Failed units are not retried by the queue on their own (Hangfire shows them failed, once each).
            Assert.Equal(2, db.Scalar("SELECT COUNT(*) FROM hangfire.job WHERE statename = 'Failed'"));

            (int code, string stdout, string err) = Cli.Run(_dir, Long, "experiment", "report", "bad-data", "--store", db.ConnectionString, "--out", Path.Combine(_dir, "report"));
            Assert.True(code == 0, err);
            Assert.Contains("2 of 6 units failed", err);
            Assert.Contains("good", stdout);
            Assert.DoesNotContain("too_many_lags", File.ReadAllText(Path.Combine(_dir, "report", "results.csv")));

            // A changed definition is a new experiment, kept apart from the old one.
            string changed = Write("bad.yaml", File.ReadAllText(file).Replace("repeats: 2", "repeats: 3", StringComparison.Ordinal));
            JsonElement other = Submit(db, changed);
            Assert.NotEqual(id, other.GetProperty("id").GetString());
            Assert.Equal(9, other.GetProperty("enqueued").GetInt32());
            Assert.Equal(6, store.Units(id).Count);
            Assert.True(worker.Terminate(TimeSpan.FromSeconds(40)));
        }
    }

    [PostgresFact]
    public void The_dashboard_serves_hangfire_on_loopback()
    {
        using var db = new TestDatabase();
        int port = FreePort();
        using CliProcess dashboard = CliProcess.Start(_dir, "dashboard", "--store", db.ConnectionString, "--port", port.ToString(CultureInfo.InvariantCulture));
        WaitFor(() => dashboard.Output.Contains("Dashboard of", StringComparison.Ordinal) ? "up" : dashboard.Process.HasExited ? throw new InvalidOperationException(dashboard.Errors) : null, "the dashboard");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string page = http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/hangfire")).GetAwaiter().GetResult();
        Assert.Contains("LstmLab units", page);
        Assert.True(dashboard.Terminate(TimeSpan.FromSeconds(20)));
    }

    private JsonElement Submit(TestDatabase db, string file)
    {
        (int code, string stdout, string err) = Cli.Run(_dir, Long, "experiment", "submit", file, "--store", db.ConnectionString, "--json");
        Assert.True(code == 0, err + stdout);
        string last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        using JsonDocument doc = JsonDocument.Parse(last);
        return doc.RootElement.Clone();
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// Every file of the local run's report equals the distributed one's, byte for byte: the reports and
    /// provenance.json whole (their provenance names the day the units finished and the machine they ran on, as the
    /// store recorded them), results.csv but for its last column (each repeat's wall-clock seconds, which no two runs share).
    /// </summary>
    private static void AssertSameReport(string local, string distributed)
    {
        string[] files = [.. Directory.GetFiles(distributed).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Contains("report.html", files);
        Assert.Contains("report.md", files);
        Assert.Contains("provenance.json", files);
        Assert.Contains("boxplot.svg", files);
        foreach (string name in files)
        {
            if (name == "results.csv")
            {
                string a = File.ReadAllText(Path.Combine(local, name)), b = File.ReadAllText(Path.Combine(distributed, name));
                static string WithoutSeconds(string csv) => string.Join('\n', csv.Split('\n').Select(l => l.Contains(',', StringComparison.Ordinal) ? l[..l.LastIndexOf(',')] : l));
                Assert.EndsWith(",seconds", a.Split('\n')[0], StringComparison.Ordinal);
                Assert.Equal(WithoutSeconds(a), WithoutSeconds(b));
            }
            else
            {
                Assert.True(File.ReadAllBytes(Path.Combine(local, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(distributed, name))), $"{name} differs between the local and the distributed run");
            }
        }
    }

    private static T WaitFor<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)))
        {
            if (probe() is T found)
                return found;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"Waited {clock.Elapsed.TotalSeconds:F0} s for {what}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
