using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.ReadModels;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FirstViscount.SiloHost.Gateway;

public sealed record AdjustmentRequest(int? Delta, string? Reason);

/// <summary>Stock administration (API.md, Inventory), for admins.</summary>
internal static class InventoryApi
{
    public static void MapInventoryApi(this IEndpointRouteBuilder app)
    {
        var inventory = app.MapGroup("/v1/inventory/{sku}").RequireAuthorization(Principals.AdminPolicy).WithTags("Inventory");
        inventory.MapGet("", async (string sku, IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IInventorySkuGrain>(sku).GetLevels()))
            .WithName("GetStockLevels").WithSummary("A SKU's stock levels");
        inventory.MapPost("/adjustments", AdjustAsync).WithName("AdjustStock").WithSummary("Receive or write off stock");
        inventory.MapGet("/movements", MovementsAsync).WithName("GetStockMovements").WithSummary("A SKU's movement history");
    }

    /// <summary>SKUs at or below their reorder point, from the inventory-levels read model (needs PostgreSQL).</summary>
    public static void MapInventoryAlertsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/inventory/alerts", AlertsAsync).RequireAuthorization(Principals.AdminPolicy)
            .WithTags("Inventory").WithName("GetStockAlerts").WithSummary("SKUs at or below their reorder point");

    private static async Task<Results<Ok<IReadOnlyList<InventoryAlert>>, ValidationProblem>> AlertsAsync(string? page, InventoryLevels levels, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var number = Validation.ParseInt(page, "page", 1, 1, 100_000, validation);
        return validation.IsValid ? TypedResults.Ok(await levels.AlertsAsync(number, 100, cancellationToken)) : TypedResults.ValidationProblem(validation.Errors);
    }

    private static async Task<Results<Ok<StockLevels>, ValidationProblem, ProblemHttpResult>> AdjustAsync(string sku, AdjustmentRequest body, IGrainFactory grains)
    {
        var validation = new Validation()
            .Require(body.Delta is not null and not 0 and > -1_000_000 and < 1_000_000, "delta", "delta must be a non-zero whole number within ±1,000,000.")
            .Require(body.Reason is { Length: > 0 and <= 200 }, "reason", "A reason of 1 to 200 characters is required.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var inventory = grains.GetGrain<IInventorySkuGrain>(sku);
        try
        {
            return TypedResults.Ok(body.Delta > 0 ? await inventory.Receive(body.Delta.Value, body.Reason!) : await inventory.Adjust(body.Delta!.Value, body.Reason!));
        }
        catch (StockConflictException error)
        {
            return TypedResults.Problem(statusCode: 409, title: "Stock would fall below what is reserved or below zero.", detail: error.Message);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<StockMovement>>, ValidationProblem>> MovementsAsync(string sku, string? page, IGrainFactory grains)
    {
        var validation = new Validation();
        var pageNumber = Validation.ParseInt(page, "page", 1, 1, 100_000, validation);
        return validation.IsValid
            ? TypedResults.Ok(await grains.GetGrain<IInventorySkuGrain>(sku).GetMovements(pageNumber, 50))
            : TypedResults.ValidationProblem(validation.Errors);
    }
}
