using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.ReadModels;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FirstViscount.SiloHost.Gateway;

public sealed record TrackingEventDto(string Status, string CarrierStatus, string Location, string Description, DateTimeOffset OccurredAt);
public sealed record ShipmentDto(string ShipmentId, string OrderId, string Status, string Carrier, string TrackingNumber, DateOnly EstimatedDelivery,
    IReadOnlyList<TrackingEventDto> Events);

/// <summary>Deliveries (API.md): an order's shipment, for its owner or an admin; another customer's answers 404.</summary>
internal static class ShipmentsApi
{
    public static void MapShipmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/orders/{orderId}/shipment", async Task<Results<Ok<ShipmentDto>, NotFound>> (string orderId, HttpContext http, IGrainFactory grains) =>
                await OrdersApi.VisibleOrderAsync(orderId, http, grains) is not null && await grains.GetGrain<IShipmentGrain>(orderId).Get() is { } shipment
                    ? TypedResults.Ok(ToDto(shipment))
                    : TypedResults.NotFound())
            .RequireAuthorization(Principals.CustomerPolicy).WithTags("Orders")
            .WithName("GetOrderShipment").WithSummary("An order's shipment: status, carrier, tracking number and the carrier's events");
        app.MapGet("/v1/admin/shipments", ListAsync).RequireAuthorization(Principals.AdminPolicy).WithTags("Orders")
            .WithName("ListShipments").WithSummary("Every shipment, newest first, 20 a page, by status or all (a read model kept from the event log)");
        app.MapPost("/v1/admin/shipments/{shipmentId}/cancel", CancelAsync).RequireAuthorization(Principals.AdminPolicy).WithTags("Orders")
            .WithName("CancelShipment").WithSummary("Cancel a shipment that has not shipped yet");
    }

    private const int PageSize = 20;

    private static async Task<Results<Ok<ShipmentDto[]>, ValidationProblem>> ListAsync(string? status, string? page, ShipmentList shipments, HttpContext http)
    {
        var validation = new Validation();
        var pageNumber = Validation.ParseInt(page, "page", 1, 1, 1_000, validation);
        ShipmentStatus? wanted = null;
        if (status is not null)
        {
            validation.Require(Enum.TryParse<ShipmentStatus>(status, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && char.IsUpper(status[0]),
                "status", $"status is one of {string.Join(", ", Enum.GetNames<ShipmentStatus>())}.");
            wanted = parsed;
        }
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        return TypedResults.Ok((await shipments.PageAsync(wanted, pageNumber, PageSize, http.RequestAborted)).Select(ToDto).ToArray());
    }

    private static async Task<Results<Ok<ShipmentDto>, NotFound, ProblemHttpResult>> CancelAsync(string shipmentId, IGrainFactory grains, HttpContext http)
    {
        var shipment = grains.GetGrain<IShipmentGrain>(shipmentId);
        if (shipmentId.Length > 100 || await shipment.Get() is null)
        {
            return TypedResults.NotFound();
        }
        try
        {
            return TypedResults.Ok(ToDto(await shipment.Cancel("cancelled by an administrator", http.RequestAborted)));
        }
        catch (ShipmentConflictException error)
        {
            return TypedResults.Problem(statusCode: 409, title: "The shipment can no longer be cancelled.", detail: error.Message);
        }
    }

    private static ShipmentDto ToDto(ShipmentView shipment) => new(shipment.ShipmentId, shipment.OrderId, shipment.Status.ToString(), shipment.Carrier,
        shipment.TrackingNumber, shipment.EstimatedDelivery,
        [.. shipment.Events.Select(e => new TrackingEventDto(e.Status.ToString(), e.CarrierStatus, e.Location, e.Description, e.OccurredAt))]);
}
