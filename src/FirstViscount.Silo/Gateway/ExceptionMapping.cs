using FirstViscount.Analytics.ClickHouse;
using System.Text.Json;
using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Carts;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.EventSourcing;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Orleans.Storage;
using StackExchange.Redis;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>
/// Turns exceptions into RFC 9457 problem details: domain refusals become 4xx, malformed input 400, and a
/// dependency that is down (a silo, PostgreSQL, Redis) 503 with Retry-After. Only a bug yields 500.
/// </summary>
internal sealed class ExceptionMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == 413 ? "The request body is too large." : "The request is malformed."),
            JsonException => (400, "The request body is not valid JSON for this route."),
            ArgumentException => (400, "The request is invalid."),
            PostgresException { SqlState: "22021" or "22P05" or "54000" } => (400, "The request contains text that cannot be stored."),
            UnknownSkuException => (404, "No such product."),
            EmailTakenException => (409, "The e-mail address is already registered."),
            OrderStateConflictException or StockConflictException => (409, "The request conflicts with the current state."),
            Commerce.Delivery.CarrierAccountUnreadableException => (503, "The carrier's account cannot be read with the configured key."),
            _ when IsUnavailable(exception) => (503, "A dependency is unavailable; retry shortly."),
            _ => (500, "An unexpected error occurred."),
        };
        context.Response.StatusCode = status;
        if (status == 503)
        {
            context.Response.Headers.RetryAfter = "5";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = status == 500 ? null : Detail(exception) },
        });
    }

    /// <summary>A detail is at most this long: input echoed in a message (a path segment of thousands of characters) is cut.</summary>
    public const int MaxDetailLength = 300;

    /// <summary>Every problem the gateway writes passes here (AddProblemDetails), whoever made it.</summary>
    public static void Shorten(ProblemDetails problem)
    {
        if (problem.Detail is { Length: > MaxDetailLength } detail)
        {
            problem.Detail = string.Concat(detail.AsSpan(0, MaxDetailLength), "…");
        }
    }

    private static string Detail(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } => JsonDetail(json),
        JsonException json => JsonDetail(json),
        _ => exception.Message,
    };

    /// <summary>Which field has a value of the wrong type, or where the JSON stops being JSON (1-based line and column).</summary>
    private static string JsonDetail(JsonException json)
    {
        var where = json.LineNumber is { } line ? $" (line {line + 1}, column {json.BytePositionInLine + 1})" : "";
        var field = json.Path is { Length: > 1 } path ? path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path : null;
        var malformed = json.InnerException?.GetType().Name == "JsonReaderException" || field is null;
        return malformed
            ? $"The body is not valid JSON{where}."
            : $"'{field}' has a value of the wrong type{where}.";
    }

    /// <summary>
    /// A silo, PostgreSQL, Redis or ClickHouse did not answer (or ClickHouse's schema is still being made), or a concurrent writer won a race (a retry reads the new state).
    /// Storage errors reach here wrapped by Orleans, so the whole chain of inner exceptions is looked at.
    /// </summary>
    private static bool IsUnavailable(Exception exception)
    {
        for (Exception? error = exception; error is not null; error = error.InnerException)
        {
            if (error is DependencyUnavailableException or SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
                or NpgsqlException or RedisException or ClickHouseException or InconsistentStateException or WrongExpectedVersionException)
            {
                return true;
            }
        }
        return false;
    }
}
