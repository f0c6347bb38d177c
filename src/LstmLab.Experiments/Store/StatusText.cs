using System.Globalization;
using System.Text;

namespace LstmLab.Experiments.Store;

/// <summary>The lines <c>lstmlab experiment status</c> prints: counts by state, a progress bar and an ETA.</summary>
public static class StatusText
{
    /// <summary>The status of <paramref name="experiment"/> at <paramref name="now"/>.</summary>
    public static string Of(ExperimentRecord experiment, UnitCounts counts, DateTimeOffset now, int width = 40)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(counts);
        var sb = new StringBuilder();
        int total = Math.Max(counts.Total, experiment.UnitCount);
        int ended = counts.Done + counts.Failed;
        double fraction = total == 0 ? 1 : (double)ended / total;
        int filled = (int)Math.Round(fraction * width);
        sb.Append(CultureInfo.InvariantCulture, $"Experiment {experiment.Name} (id {experiment.Id}, {experiment.Configurations.Count} configurations x {experiment.Repeats} repeats = {experiment.UnitCount} units)\n");
        sb.Append(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('-', width - filled)}] {ended}/{total} ({fraction:P0})\n");
        sb.Append(CultureInfo.InvariantCulture, $"done {counts.Done}, running {counts.Running}, failed {counts.Failed}, queued {counts.Queued}\n");
        sb.Append(Eta(counts, now)).Append('\n');
        if (counts.TrainSeconds is double train && counts.UnitSeconds is double unit)
            sb.Append(CultureInfo.InvariantCulture, $"per done unit: {unit:F2} s from start to record, of which {train:F2} s training\n");
        return sb.ToString();
    }

    /// <summary>The ETA line: remaining units at the rate units have ended so far.</summary>
    public static string Eta(UnitCounts counts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int remaining = counts.Queued + counts.Running;
        if (remaining == 0)
            return counts.Failed > 0 ? $"finished: {counts.Failed} unit(s) failed (see `lstmlab experiment export` for their errors)" : "finished";
        if (counts.FirstStarted is not DateTimeOffset first || counts.LastFinished is null || counts.Done + counts.Failed == 0)
            return "ETA: unknown until a unit ends";
        double elapsed = (now - first).TotalSeconds;
        double rate = (counts.Done + counts.Failed) / Math.Max(elapsed, 1e-3);
        var eta = TimeSpan.FromSeconds(Math.Ceiling(remaining / rate));
        return string.Create(CultureInfo.InvariantCulture, $"ETA {eta:hh\\:mm\\:ss} at {rate * 60:F1} units/min");
    }
}
