using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>Per-client rate limit (the caller's customer id, else its address): 429 with Retry-After when exceeded.</summary>
internal static class RateLimits
{
    public static void Configure(RateLimiterOptions options, IConfiguration configuration)
    {
        var permits = configuration.GetValue("RateLimit:PermitsPerMinute", 1200);
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            RateLimitPartition.GetFixedWindowLimiter(
                http.User.Identity?.IsAuthenticated == true ? "customer:" + http.User.CustomerId() : "address:" + http.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        options.OnRejected = async (context, cancellationToken) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
            context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails = { Status = 429, Title = "Too many requests; retry after the time in Retry-After." },
            });
        };
    }
}
