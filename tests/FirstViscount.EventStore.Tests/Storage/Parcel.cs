namespace FirstViscount.EventStore.Tests.Storage;

/// <summary>A state for the contract, stored with the Orleans serializer as grain state is.</summary>
[GenerateSerializer, Alias("fv.test.contract-parcel")]
public sealed class Parcel
{
    [Id(0)]
    public string Label { get; set; } = "";

    [Id(1)]
    public List<int> Weights { get; set; } = [];
}

/// <summary>
/// Stored before it was renamed (as "Parcel", alias fv.test.parcel, fields Label and Weight): the alias and field
/// ids, not the class name, are what the stored bytes name.
/// </summary>
[GenerateSerializer, Alias("fv.test.parcel")]
public sealed record RenamedParcel([property: Id(0)] string Label, [property: Id(1)] int Weight);
