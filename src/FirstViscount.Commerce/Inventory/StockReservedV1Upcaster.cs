using System.Text.Json.Nodes;
using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Inventory;

/// <summary>Version 1 of inventory.stock-reserved had no expiry: every hold lasted the default 15 minutes.</summary>
public sealed class StockReservedV1Upcaster : IEventUpcaster
{
    public string EventType => "inventory.stock-reserved";

    public int FromVersion => 1;

    public JsonObject Upcast(JsonObject payload)
    {
        var reservedAt = payload["reservedAt"]!.GetValue<DateTimeOffset>();
        payload["expiresAt"] = reservedAt + InventorySkuGrain.DefaultHold;
        return payload;
    }
}
