using FirstViscount.Commerce.Inventory;
using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce;

/// <summary>The domain's event types and upcasters, for the host to register.</summary>
public static class CommerceEvents
{
    public static EventSerializer CreateSerializer() =>
        new(EventSerializer.EventTypesIn(typeof(CommerceEvents).Assembly), [new StockReservedV1Upcaster()]);
}
