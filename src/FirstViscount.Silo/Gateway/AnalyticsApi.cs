using System.Globalization;
using FirstViscount.Analytics.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>Analytics (API.md, Analytics), for admins: from ClickHouse, eventually consistent within seconds.</summary>
internal static class AnalyticsApi
{
    private const int MaxBuckets = 2_000;
    private static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    public static void MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/v1/analytics").RequireAuthorization(Principals.AdminPolicy).WithTags("Analytics")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        analytics.MapGet("/sales", SalesAsync).WithName("GetSales").WithSummary("Confirmed sales per hour or day");
        analytics.MapGet("/top-products", TopProductsAsync).WithName("GetTopProducts").WithSummary("The best-selling products by revenue");
        analytics.MapGet("/funnel", FunnelAsync).WithName("GetFunnel").WithSummary("Carts created, checkouts started and how orders ended");
        analytics.MapGet("/deliveries", DeliveriesAsync).WithName("GetDeliveries").WithSummary("Shipments delivered per day and the on-time rate");
        analytics.MapGet("/freshness", async (AnalyticsQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.FreshnessAsync(cancellationToken)))
            .WithName("GetFreshness").WithSummary("How far analytics are behind the event log");
    }

    private static async Task<Results<Ok<IReadOnlyList<SalesBucket>>, ValidationProblem>> SalesAsync(string? from, string? to, string? interval,
        AnalyticsQueries queries, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var (start, end) = ParseRange(from, to, clock, validation);
        var bucketing = interval switch
        {
            null or "day" => SalesInterval.Day,
            "hour" => SalesInterval.Hour,
            _ => (SalesInterval?)null,
        };
        validation.Require(bucketing is not null, "interval", "interval must be hour or day.");
        if (validation.IsValid)
        {
            validation.Require(AnalyticsQueries.BucketCount(start, end, bucketing!.Value) <= MaxBuckets, "interval",
                $"At most {MaxBuckets} buckets per request: shorten the range or use interval=day.");
        }
        return validation.IsValid
            ? TypedResults.Ok(await queries.SalesAsync(start, end, bucketing!.Value, cancellationToken))
            : TypedResults.ValidationProblem(validation.Errors);
    }

    private static async Task<Results<Ok<IReadOnlyList<ProductSales>>, ValidationProblem>> TopProductsAsync(string? from, string? to, string? limit,
        AnalyticsQueries queries, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var (start, end) = ParseRange(from, to, clock, validation);
        var count = Validation.ParseInt(limit, "limit", 10, 1, 100, validation);
        return validation.IsValid
            ? TypedResults.Ok(await queries.TopProductsAsync(start, end, count, cancellationToken))
            : TypedResults.ValidationProblem(validation.Errors);
    }

    private static async Task<Results<Ok<Funnel>, ValidationProblem>> FunnelAsync(string? from, string? to, AnalyticsQueries queries, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var (start, end) = ParseRange(from, to, clock, validation);
        return validation.IsValid ? TypedResults.Ok(await queries.FunnelAsync(start, end, cancellationToken)) : TypedResults.ValidationProblem(validation.Errors);
    }

    private const int MaxDays = 366;

    /// <summary>[from, to) in whole days (UTC): ISO 8601 dates; defaults to the 30 days up to and including today.</summary>
    private static async Task<Results<Ok<DeliveryReport>, ValidationProblem>> DeliveriesAsync(string? from, string? to, AnalyticsQueries queries, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var end = ParseDay(to, "to", validation) ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
        var start = ParseDay(from, "from", validation) ?? end.AddDays(-DefaultRange.Days);
        validation.Require(start < end, "from", "from must be before to.");
        validation.Require(end.DayNumber - start.DayNumber <= MaxDays, "from", $"At most {MaxDays} days per request.");
        return validation.IsValid ? TypedResults.Ok(await queries.DeliveriesAsync(start, end, cancellationToken)) : TypedResults.ValidationProblem(validation.Errors);
    }

    private static DateOnly? ParseDay(string? value, string field, Validation validation)
    {
        if (value is null)
        {
            return null;
        }
        var ok = DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 9000;
        validation.Require(ok, field, $"{field} must be a date (YYYY-MM-DD) between the years 2000 and 9000.");
        return ok ? day : null;
    }

    /// <summary>
    /// [from, to): ISO 8601 dates or times (UTC unless an offset is given). Defaults: to = now, from = to − 30 days.
    /// </summary>
    private static (DateTimeOffset From, DateTimeOffset To) ParseRange(string? from, string? to, TimeProvider clock, Validation validation)
    {
        var end = ParseMoment(to, "to", validation) ?? clock.GetUtcNow();
        var start = ParseMoment(from, "from", validation) ?? end - DefaultRange;
        validation.Require(start < end, "from", "from must be before to.");
        validation.Require(start.Year >= 2000 && end.Year <= 9000, "from", "from and to must be between the years 2000 and 9000.");
        return (start, end);
    }

    private static DateTimeOffset? ParseMoment(string? value, string field, Validation validation)
    {
        if (value is null)
        {
            return null;
        }
        var ok = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment);
        validation.Require(ok, field, $"{field} must be an ISO 8601 date or time, such as 2026-11-01 or 2026-11-01T12:00:00Z.");
        return ok ? moment : null;
    }
}
