using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LstmLab.Reports.Tests;

/// <summary>What a real browser made of a page.</summary>
/// <param name="Layout">The page's own measurements (see <see cref="HeadlessChromium.LayoutScript"/>), as JSON.</param>
/// <param name="ConsoleErrors">Console errors, uncaught exceptions and failed loads the browser reported.</param>
/// <param name="Screenshot">Where the full-page screenshot was written.</param>
internal sealed record PageCheck(JsonElement Layout, IReadOnlyList<string> ConsoleErrors, string Screenshot)
{
    public string Title => Layout.GetProperty("title").GetString() ?? "";

    /// <summary>Tables, preformatted blocks and plots that run past the window without a box of their own to scroll in.</summary>
    public IReadOnlyList<string> CutOff => [.. Layout.GetProperty("cut").EnumerateArray().Select(e => e.GetString() ?? "")];

    public int Tables => Layout.GetProperty("tables").GetInt32();

    public int PageWidth => Layout.GetProperty("pageScrollWidth").GetInt32();

    public int Viewport => Layout.GetProperty("viewport").GetInt32();
}

/// <summary>
/// Debian's <c>chromium</c>, headless, driven over the DevTools protocol on 127.0.0.1 (a port the browser
/// picks): each page is opened at 1,200 × 900 px, its console errors, exceptions and failed loads are
/// collected, a script measures whether any table, <c>pre</c> or plot is cut off, and a full-page
/// screenshot is taken. The browser and its temporary profile go away on dispose.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    /// <summary>The window width the reports must fit.</summary>
    public const int Width = 1200;

    // Runs in the page: every table, pre and svg either fits inside the window or sits in an ancestor
    // that scrolls sideways (overflow-x auto/scroll) and itself fits; and the page as a whole does not
    // scroll sideways.
    public const string LayoutScript = """
        (() => {
          const vw = document.documentElement.clientWidth;
          const cut = [];
          let tables = 0;
          for (const el of document.querySelectorAll('table, pre, svg')) {
            if (el.tagName.toLowerCase() === 'svg' && el.parentElement && el.parentElement.closest('svg')) continue;
            if (el.tagName === 'TABLE') tables++;
            const r = el.getBoundingClientRect();
            let box = el.parentElement, scroller = null;
            while (box && box !== document.body) {
              const o = getComputedStyle(box).overflowX;
              if (o === 'auto' || o === 'scroll') { scroller = box; break; }
              box = box.parentElement;
            }
            const fits = r.left >= -0.5 && r.right <= vw + 0.5;
            const scrolls = scroller !== null && scroller.getBoundingClientRect().right <= vw + 0.5 && scroller.getBoundingClientRect().left >= -0.5;
            if (!fits && !scrolls) cut.push(el.tagName + ' ' + Math.round(r.width) + ' px: ' + (el.textContent || '').trim().slice(0, 60));
          }
          return JSON.stringify({
            title: document.title,
            h1: document.querySelectorAll('h1').length,
            ready: document.readyState,
            viewport: vw,
            pageScrollWidth: document.documentElement.scrollWidth,
            tables: tables,
            cut: cut,
          });
        })()
        """;

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<JsonElement> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser executable: $CHROMIUM, else chromium (Debian), chromium-browser or google-chrome on the PATH; null when none.</summary>
    public static string? Find()
    {
        string? configured = Environment.GetEnvironmentVariable("CHROMIUM");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
            return configured;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            {
                string path = Path.Combine(dir, name);
                if (File.Exists(path))
                    return path;
            }
        }
        return null;
    }

    /// <summary>Starts the browser and connects to it.</summary>
    /// <exception cref="TimeoutException">The browser did not say where it listens within a minute.</exception>
    public static async Task<HeadlessChromium> StartAsync(string executable)
    {
        DirectoryInfo profile = Directory.CreateTempSubdirectory("lstmlab-chromium-");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            "--user-data-dir=" + profile.FullName, $"--window-size={Width},900", "about:blank",
        })
        {
            start.ArgumentList.Add(a);
        }
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && DevToolsLine().Match(e.Data) is { Success: true } m)
                listening.TrySetResult(m.Groups[1].Value);
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            string url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            if (!url.StartsWith("ws://127.0.0.1:", StringComparison.Ordinal))
                throw new InvalidOperationException($"chromium listens on {url}, not on 127.0.0.1");
            await browser._socket.ConnectAsync(new Uri(url), CancellationToken.None);
            browser._reader = Task.Run(browser.ReadAsync);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="htmlFile"/> in a new tab, checks it and writes its screenshot to <paramref name="screenshot"/>.</summary>
    public async Task<PageCheck> CheckAsync(string htmlFile, string screenshot)
    {
        JsonElement target = await SendAsync("Target.createTarget", new { url = "about:blank" });
        string targetId = target.GetProperty("targetId").GetString()!;
        JsonElement attached = await SendAsync("Target.attachToTarget", new { targetId, flatten = true });
        string session = attached.GetProperty("sessionId").GetString()!;
        try
        {
            foreach (string domain in new[] { "Page.enable", "Runtime.enable", "Log.enable" })
                await SendAsync(domain, new { }, session);
            await SendAsync("Emulation.setDeviceMetricsOverride", new { width = Width, height = 900, deviceScaleFactor = 1, mobile = false }, session);
            int seen = _events.Count;
            JsonElement navigated = await SendAsync("Page.navigate", new { url = new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri }, session);
            if (navigated.TryGetProperty("errorText", out JsonElement error))
                throw new InvalidOperationException($"chromium could not open {htmlFile}: {error.GetString()}");
            await WaitForEventAsync("Page.loadEventFired", session, seen, TimeSpan.FromSeconds(60));
            JsonElement evaluated = await SendAsync("Runtime.evaluate", new { expression = LayoutScript, returnByValue = true }, session);
            using JsonDocument layout = JsonDocument.Parse(evaluated.GetProperty("result").GetProperty("value").GetString()!);
            JsonElement shot = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true }, session);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(screenshot))!);
            await File.WriteAllBytesAsync(screenshot, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
            return new PageCheck(layout.RootElement.Clone(), Errors(session), screenshot);
        }
        finally
        {
            await SendAsync("Target.closeTarget", new { targetId });
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await SendRawAsync("Browser.close", new { }, null, timeout.Token).WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // The browser is killed below in any case.
        }
        await _stop.CancelAsync();
        if (!_process.WaitForExit(5000))
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
        _socket.Dispose();
        _stop.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting child; the temp folder is the OS's to clean.
        }
    }

    private List<string> Errors(string session)
    {
        var errors = new List<string>();
        foreach (JsonElement e in _events)
        {
            if (!e.TryGetProperty("sessionId", out JsonElement s) || s.GetString() != session)
                continue;
            string method = e.GetProperty("method").GetString()!;
            JsonElement p = e.GetProperty("params");
            if (method == "Runtime.consoleAPICalled" && p.GetProperty("type").GetString() is "error" or "assert")
                errors.Add("console." + p.GetProperty("type").GetString() + ": " + string.Join(" ", p.GetProperty("args").EnumerateArray().Select(a => a.TryGetProperty("value", out JsonElement v) ? v.ToString() : a.GetProperty("type").GetString())));
            else if (method == "Runtime.exceptionThrown")
                errors.Add("exception: " + p.GetProperty("exceptionDetails").GetProperty("text").GetString());
            else if (method == "Log.entryAdded" && p.GetProperty("entry").GetProperty("level").GetString() == "error")
                errors.Add("log: " + p.GetProperty("entry").GetProperty("text").GetString() + " " + (p.GetProperty("entry").TryGetProperty("url", out JsonElement u) ? u.GetString() : ""));
        }
        return errors;
    }

    private async Task WaitForEventAsync(string method, string session, int after, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_events.Skip(after).Any(e => e.GetProperty("method").GetString() == method && e.TryGetProperty("sessionId", out JsonElement s) && s.GetString() == session))
                return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"chromium sent no {method} within {timeout.TotalSeconds} s");
    }

    private Task<JsonElement> SendAsync(string method, object parameters, string? session = null) =>
        SendRawAsync(method, parameters, session, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

    private async Task<JsonElement> SendRawAsync(string method, object parameters, string? session, CancellationToken cancel)
    {
        int id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        object message = session is null ? new { id, method, @params = parameters } : new { id, method, @params = parameters, sessionId = session };
        await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, cancel);
        return await reply.Task;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                WebSocketReceiveResult received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                    break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                    continue;
                using JsonDocument doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                JsonElement root = doc.RootElement.Clone();
                if (root.TryGetProperty("id", out JsonElement id) && _pending.TryRemove(id.GetInt32(), out var reply))
                {
                    if (root.TryGetProperty("error", out JsonElement error))
                        reply.TrySetException(new InvalidOperationException("DevTools: " + error.GetRawText()));
                    else
                        reply.TrySetResult(root.GetProperty("result"));
                }
                else if (root.TryGetProperty("method", out _))
                {
                    _events.Enqueue(root);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed: the browser is going away.
        }
        foreach (var reply in _pending.Values)
            reply.TrySetException(new InvalidOperationException("chromium closed the DevTools connection"));
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
