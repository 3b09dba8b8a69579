using FirstViscount.Tests;
using Microsoft.Playwright;

namespace FirstViscount.Api.Tests;

/// <summary>
/// Debian's headless Chromium (deploy/services.sh installs it) driven by Playwright, started once per test class.
/// Playwright's own browser download is never used: the browser is launched by its path (FV_CHROMIUM, else
/// /usr/bin/chromium), without the background networking this machine's closed network refuses.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private static readonly string ExecutablePath = Environment.GetEnvironmentVariable("FV_CHROMIUM") ?? "/usr/bin/chromium";
    private const float ExpectTimeout = 30_000;
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the tests' screenshots are kept: TestResults/screenshots in the repository.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(TestServers.RepositoryRoot(), "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No Chromium at {ExecutablePath}: deploy/services.sh up installs Debian's chromium, or set FV_CHROMIUM to a Chromium binary.");
        }
        playwright = await Playwright.CreateAsync();
        // Playwright's 5 s default is too short on a 2-core machine running several test projects at once: the Orleans
        // dashboard's first counters (gathered from every silo by the management grain) have taken longer than that there.
        Assertions.SetDefaultExpectTimeout(ExpectTimeout);
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh browser context (its own cookies and sessionStorage) on <paramref name="baseUrl"/>, in UTC.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseUrl, string? bearerToken = null) => Browser.NewContextAsync(new()
    {
        BaseURL = baseUrl.ToString(),
        TimezoneId = "UTC",
        Locale = "en-GB",
        ViewportSize = new() { Width = 1280, Height = 1000 },
        ExtraHTTPHeaders = bearerToken is null ? null : new Dictionary<string, string> { ["Authorization"] = $"Bearer {bearerToken}" },
    });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        playwright?.Dispose();
    }
}
