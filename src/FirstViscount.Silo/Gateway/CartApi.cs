using FirstViscount.Commerce.Carts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FirstViscount.SiloHost.Gateway;

public sealed record CartItemDto(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal, bool PriceChanged);
public sealed record CartDto(IReadOnlyList<CartItemDto> Items, decimal Total, string Currency, long Version);
public sealed record SetQuantityRequest(int? Quantity);

/// <summary>The caller's cart (API.md, Cart). A customer only ever reaches their own cart.</summary>
internal static class CartApi
{
    public static void MapCartApi(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/v1/cart").RequireAuthorization(Principals.CustomerPolicy).WithTags("Cart");
        cart.MapGet("", async (HttpContext http, IGrainFactory grains) => TypedResults.Ok(ToDto(await Cart(http, grains).Get())))
            .WithName("GetCart").WithSummary("The customer's cart");
        cart.MapPut("/items/{sku}", SetItemAsync).WithName("SetCartItem").WithSummary("Set a product's quantity in the cart (0 removes it)");
        cart.MapDelete("/items/{sku}", async (string sku, HttpContext http, IGrainFactory grains) => TypedResults.Ok(ToDto(await Cart(http, grains).RemoveItem(sku))))
            .WithName("RemoveCartItem").WithSummary("Remove a product from the cart");
        cart.MapDelete("", async (HttpContext http, IGrainFactory grains) =>
        {
            await Cart(http, grains).Clear();
            return TypedResults.NoContent();
        }).WithName("ClearCart").WithSummary("Empty the cart");
    }

    internal static CartDto ToDto(CartView cart) =>
        new([.. cart.Items.Select(i => new CartItemDto(i.Sku, i.Name, i.Quantity, i.UnitPrice, i.LineTotal, i.PriceChanged))], cart.Total, cart.Currency, cart.Version);

    internal static ICartGrain Cart(HttpContext http, IGrainFactory grains) => grains.GetGrain<ICartGrain>(http.User.CustomerId());

    private static async Task<Results<Ok<CartDto>, ValidationProblem, ProblemHttpResult>> SetItemAsync(string sku, SetQuantityRequest body, HttpContext http, IGrainFactory grains)
    {
        if (body.Quantity is not (>= 0 and <= CartGrain.MaxQuantity))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = [$"quantity must be a whole number from 0 to {CartGrain.MaxQuantity}."] });
        }
        try
        {
            return TypedResults.Ok(ToDto(await Cart(http, grains).SetItem(sku, body.Quantity.Value)));
        }
        catch (UnknownSkuException error)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such product.", detail: error.Message);
        }
    }
}
