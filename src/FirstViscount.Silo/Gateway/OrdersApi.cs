using System.Text.Json;
using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using FirstViscount.Commerce.ReadModels;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FirstViscount.SiloHost.Gateway;

public sealed record AddressDto(string? Name, string? Line1, string? Line2, string? City, string? PostalCode, string? Country);
public sealed record CheckoutBody(AddressDto? ShippingAddress, string? PaymentToken);
public sealed record CheckoutAccepted(string OrderId, string Status);
public sealed record OrderItemDto(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);
/// <summary>One entry of an order's audit trail (API.md): <see cref="Data"/> is the event itself, a JSON object.</summary>
public sealed record OrderEventDto(string Type, long Version, DateTimeOffset OccurredAt, JsonElement Data, string? Actor, string? CorrelationId);
public sealed record OrderDto(string OrderId, string Status, IReadOnlyList<OrderItemDto> Items, decimal Total, string Currency,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? FailureReason);

/// <summary>Checkout and orders (API.md). Another customer's order answers 404: its existence is not leaked.</summary>
internal static class OrdersApi
{
    public static void MapOrdersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/checkout", CheckoutAsync).RequireAuthorization(Principals.CustomerPolicy).WithTags("Orders").WithName("Checkout").WithSummary("Check the cart out into an order");
        var orders = app.MapGroup("/v1/orders").RequireAuthorization(Principals.CustomerPolicy).WithTags("Orders");
        orders.MapGet("", ListAsync).WithName("ListOrders").WithSummary("The customer's orders, newest first");
        orders.MapGet("/{orderId}", async Task<Results<Ok<OrderDto>, NotFound>> (string orderId, HttpContext http, IGrainFactory grains) =>
            await VisibleOrderAsync(orderId, http, grains) is { } order ? TypedResults.Ok(ToDto(order)) : TypedResults.NotFound())
            .WithName("GetOrder").WithSummary("An order");
        orders.MapPost("/{orderId}/cancel", CancelAsync).WithName("CancelOrder").WithSummary("Cancel an order that has not been paid for yet");
        orders.MapGet("/{orderId}/events", async Task<Results<Ok<OrderEventDto[]>, NotFound>> (string orderId, HttpContext http, IGrainFactory grains) =>
            await VisibleOrderAsync(orderId, http, grains) is null
                ? TypedResults.NotFound()
                : TypedResults.Ok((await grains.GetGrain<IOrderGrain>(orderId).History()).Select(ToDto).ToArray()))
            .WithName("GetOrderEvents").WithSummary("An order's audit trail");
    }

    private static async Task<Results<Accepted<CheckoutAccepted>, ValidationProblem, ProblemHttpResult>> CheckoutAsync(
        CheckoutBody body, HttpContext http, IGrainFactory grains, IdempotencyKeys keys, IAccountStore accounts)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var address = body.ShippingAddress;
        var validation = new Validation()
            .Require(key.Length is > 0 and <= 100, "Idempotency-Key", "The Idempotency-Key header (1 to 100 characters) is required.")
            .Require(address is not null, "shippingAddress", "A shipping address is required.")
            .Require(body.PaymentToken is { Length: > 0 and <= 100 }, "paymentToken", "A payment token is required.");
        if (address is not null)
        {
            validation.Require(address.Name is { Length: > 0 and <= 200 }, "shippingAddress.name", "A name is required.")
                .Require(address.Line1 is { Length: > 0 and <= 200 }, "shippingAddress.line1", "line1 is required.")
                .Require(address.City is { Length: > 0 and <= 100 }, "shippingAddress.city", "city is required.")
                .Require(address.PostalCode is { Length: > 0 and <= 20 }, "shippingAddress.postalCode", "postalCode is required.")
                .Require(address.Country is { Length: 2 } && address.Country.All(char.IsAsciiLetterUpper), "shippingAddress.country", "country is an ISO 3166 code such as DE.");
        }
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var customerId = http.User.CustomerId();
        var orderId = IdempotencyKeys.OrderIdFor(customerId, key);
        var requestHash = IdempotencyKeys.Hash(JsonSerializer.Serialize(body));
        if (await keys.ClaimAsync(customerId, key, requestHash, orderId, http.RequestAborted) != requestHash)
        {
            return TypedResults.Problem(statusCode: 422, title: "This Idempotency-Key was used with another request body.");
        }
        var saga = grains.GetGrain<ICheckoutSagaGrain>(orderId);
        var status = await saga.Status();
        if (status.Phase == CheckoutPhase.NotStarted)
        {
            var cart = CartApi.Cart(http, grains);
            var priced = await cart.Reprice();
            if (priced.Items.Count == 0)
            {
                status = await saga.Status(); // a concurrent duplicate may have started it and emptied the cart
                if (status.Phase == CheckoutPhase.NotStarted)
                {
                    return TypedResults.Problem(statusCode: 409, title: "The cart is empty.");
                }
            }
            else
            {
                var account = await accounts.GetAsync(customerId, http.RequestAborted);
                status = await saga.Start(new CheckoutRequest(orderId, customerId,
                    [.. priced.Items.Select(i => new OrderLine(i.Sku, i.Name, i.Quantity, i.UnitPrice))], priced.Currency,
                    new ShippingAddress(address!.Name!, address.Line1!, address.Line2, address.City!, address.PostalCode!, address.Country!),
                    body.PaymentToken!, new PayerDetails(account?.Name ?? "", account?.Email ?? "")));
                await cart.Clear();
            }
        }
        if (PreferWait.Of(http.Request) is { } wait)
        {
            await saga.WaitForEnd(wait);
            PreferWait.Applied(http.Response, wait);
        }
        var order = await grains.GetGrain<IOrderGrain>(orderId).Get();
        return TypedResults.Accepted($"/v1/orders/{orderId}", new CheckoutAccepted(orderId, (order?.Status ?? OrderStatus.Pending).ToString()));
    }

    /// <summary>From the order-history read model: eventually consistent (within the event log's delivery, well under a second).</summary>
    private static async Task<Results<Ok<OrderDto[]>, ValidationProblem>> ListAsync(string? status, string? page, HttpContext http, OrderHistory history)
    {
        var validation = new Validation();
        var pageNumber = Validation.ParseInt(page, "page", 1, 1, 1_000, validation);
        OrderStatus? wanted = null;
        if (status is not null)
        {
            validation.Require(Enum.TryParse<OrderStatus>(status, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed), "status", $"status is one of {string.Join(", ", Enum.GetNames<OrderStatus>())}.");
            wanted = parsed;
        }
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var orders = await history.OfCustomerAsync(http.User.CustomerId(), wanted, pageNumber, 20, http.RequestAborted);
        return TypedResults.Ok(orders.Select(ToDto).ToArray());
    }

    private static async Task<Results<Ok<CheckoutAccepted>, NotFound, ProblemHttpResult>> CancelAsync(string orderId, HttpContext http, IGrainFactory grains)
    {
        if (await VisibleOrderAsync(orderId, http, grains) is null)
        {
            return TypedResults.NotFound();
        }
        try
        {
            var status = await grains.GetGrain<ICheckoutSagaGrain>(orderId).Cancel("cancelled by " + (http.User.IsAdmin() ? "an administrator" : "the customer"));
            return TypedResults.Ok(new CheckoutAccepted(orderId, status.Phase.ToString()));
        }
        catch (OrderStateConflictException error)
        {
            return TypedResults.Problem(statusCode: 409, title: "The order can no longer be cancelled.", detail: error.Message);
        }
    }

    /// <summary>The order if the caller may see it (its customer or an admin), else null: a stranger cannot tell it exists.</summary>
    internal static async Task<OrderView?> VisibleOrderAsync(string orderId, HttpContext http, IGrainFactory grains) =>
        orderId.Length <= 100 && await grains.GetGrain<IOrderGrain>(orderId).Get() is { } order && (order.CustomerId == http.User.CustomerId() || http.User.IsAdmin())
            ? order
            : null;

    private static OrderEventDto ToDto(OrderHistoryEntry entry)
    {
        using var data = JsonDocument.Parse(entry.Payload);
        return new OrderEventDto(entry.Type, entry.Version, entry.At, data.RootElement.Clone(), entry.Actor, entry.CorrelationId);
    }

    private static OrderDto ToDto(OrderView order) => new(order.OrderId, order.Status.ToString(),
        [.. order.Lines.Select(l => new OrderItemDto(l.Sku, l.Name, l.Quantity, l.UnitPrice, l.LineTotal))], order.Total, order.Currency,
        order.CreatedAt, order.UpdatedAt, order.FailureReason);
}
