using System.Diagnostics;

namespace LstmLab.Cli;

/// <summary>
/// Progress on standard error: a bar redrawn in place on a terminal, or a line every 10% when
/// standard error is redirected (logs, CI), with elapsed time and ETA. Thread-safe.
/// </summary>
internal sealed class ProgressBar(string label, long total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private long _done;
    private int _lastDecile = -1;
    private long _lastDrawTicks;

    /// <summary>Marks <paramref name="count"/> more units done; <paramref name="detail"/> is shown after the counts.</summary>
    public void Advance(long count = 1, string detail = "")
    {
        lock (_gate)
        {
            _done += count;
            if (_interactive)
            {
                // Redraw at most ~20 times a second, and always at the end.
                if (_done < total && _clock.ElapsedMilliseconds - _lastDrawTicks < 50)
                    return;
                _lastDrawTicks = _clock.ElapsedMilliseconds;
                Console.Error.Write("\r" + Render(detail) + (_done >= total ? Environment.NewLine : ""));
                return;
            }
            int decile = total == 0 ? 10 : (int)(10 * _done / total);
            if (decile != _lastDecile)
            {
                _lastDecile = decile;
                Console.Error.WriteLine(Render(detail));
            }
        }
    }

    private string Render(string detail)
    {
        double fraction = total == 0 ? 1 : Math.Min(1, (double)_done / total);
        const int Width = 30;
        int filled = (int)Math.Round(fraction * Width);
        double elapsed = _clock.Elapsed.TotalSeconds;
        string eta = fraction > 0 && fraction < 1 ? CliOutput.F($", ETA {elapsed / fraction - elapsed:F0} s") : "";
        string extra = detail.Length > 0 ? ", " + detail : "";
        return CliOutput.F($"{label} [{new string('#', filled)}{new string('-', Width - filled)}] {_done}/{total}{extra}, {elapsed:F1} s{eta}");
    }
}
