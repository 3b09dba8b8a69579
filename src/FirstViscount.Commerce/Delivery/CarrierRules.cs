namespace FirstViscount.Commerce.Delivery;

/// <summary>A carrier for a parcel, and how many working days it takes.</summary>
public sealed record CarrierChoice(string Carrier, int TransitDays);

/// <summary>
/// Which carrier takes a parcel, by destination and weight: at home (Germany) letters-post up to 2 kg and the parcel
/// service above; the parcel service within the EU; the global service elsewhere; over 31.5 kg, freight (5 working days
/// within the EU, 10 beyond). Weightless shipments, ones over a tonne and unknown country codes are refused.
/// </summary>
public static class CarrierRules
{
    public const string Post = "fv-post";
    public const string Parcel = "fv-parcel";
    public const string Global = "fv-global";
    public const string Freight = "fv-freight";

    /// <summary>The heaviest parcel the parcel services take; heavier goes as freight.</summary>
    public const int ParcelMaxGrams = 31_500;

    public const int MaxWeightGrams = 1_000_000;

    private const string Home = "DE";

    private static readonly HashSet<string> EuropeanUnion =
        ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"];

    public static IReadOnlyList<string> Carriers { get; } = [Post, Parcel, Global, Freight];

    public static CarrierChoice Choose(string country, int weightGrams)
    {
        if (country is not { Length: 2 } || !char.IsAsciiLetterUpper(country[0]) || !char.IsAsciiLetterUpper(country[1]))
        {
            throw new NoCarrierException($"'{country}' is not a two-letter ISO country code in capitals.");
        }
        if (weightGrams is <= 0 or > MaxWeightGrams)
        {
            throw new NoCarrierException($"No carrier takes a shipment of {weightGrams} g (1 to {MaxWeightGrams} g).");
        }
        if (weightGrams > ParcelMaxGrams)
        {
            return new CarrierChoice(Freight, EuropeanUnion.Contains(country) ? 5 : 10);
        }
        return country == Home ? (weightGrams <= 2_000 ? new CarrierChoice(Post, 2) : new CarrierChoice(Parcel, 1))
            : EuropeanUnion.Contains(country) ? new CarrierChoice(Parcel, 3)
            : new CarrierChoice(Global, 7);
    }

    /// <summary>The day a parcel handed over on <paramref name="day"/> arrives, counting working days (Monday to Friday).</summary>
    public static DateOnly EstimatedDelivery(DateOnly day, int transitDays)
    {
        for (var left = transitDays; left > 0;)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                left--;
            }
        }
        return day;
    }
}
