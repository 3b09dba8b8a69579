using System.Globalization;
using FirstViscount.Catalog;
using FirstViscount.Invocation;

namespace FirstViscount.Messaging;

/// <summary>Creates typed references; no I/O.</summary>
internal sealed class GrainFactory(GrainTypeCatalog catalog, IGrainCallInvoker invoker) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey => Create<TGrainInterface>(key);

    public TGrainInterface GetGrain<TGrainInterface>(Guid key) where TGrainInterface : IGrainWithGuidKey => Create<TGrainInterface>(key.ToString("N"));

    public TGrainInterface GetGrain<TGrainInterface>(long key) where TGrainInterface : IGrainWithIntegerKey =>
        Create<TGrainInterface>(key.ToString(CultureInfo.InvariantCulture));

    private TGrainInterface Create<TGrainInterface>(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var grainType = catalog.ForInterface(typeof(TGrainInterface)).GrainType;
        return (TGrainInterface)(object)GrainCodeRegistry.GetProxyFactory(typeof(TGrainInterface))(new GrainId(grainType, key), invoker);
    }
}
