using Xunit;

namespace LstmLab.Reports.Tests;

/// <summary>
/// A test that needs a real browser. Without chromium it is skipped, saying how to install it, except under
/// CI (environment CI=true), where it runs and fails: CI installs chromium (.ci/run), so its absence is a fault.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Find() is null && !ChromiumFixture.UnderCi)
            Skip = "chromium is not installed (Debian: apt-get update && apt-get install -y chromium); under CI (CI=true) this test fails instead of skipping";
    }
}

/// <summary>One browser for all the page checks of a test class.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private HeadlessChromium? _browser;

    /// <summary>Whether the tests run under CI, where a missing browser is a failure.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where screenshots go: $LSTMLAB_SCREENSHOTS, else screenshots/ beside the test binaries.</summary>
    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("LSTMLAB_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "screenshots");

    internal HeadlessChromium Browser => _browser
        ?? throw new InvalidOperationException("chromium is not installed, and CI=true: CI must install it (apt-get install -y chromium; see .ci/run). Set CHROMIUM to its path if it is elsewhere.");

    public async Task InitializeAsync()
    {
        if (HeadlessChromium.Find() is string executable)
            _browser = await HeadlessChromium.StartAsync(executable);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
    }
}
