using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// How a carrier signs a webhook: header <c>FV-Signature: t={unix seconds},v1={hex HMAC-SHA256}</c>, the HMAC keyed with
/// the carrier's webhook secret over <c>"{t}." + body</c>. The time is signed too, so a captured request cannot be
/// replayed once <see cref="Tolerance"/> has passed; within it, a replay repeats an event id and changes nothing.
/// </summary>
public static class CarrierSignature
{
    public const string Header = "FV-Signature";

    /// <summary>How far a signature's time may be from the platform's clock.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, ReadOnlySpan<byte> body, DateTimeOffset at)
    {
        var time = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={time},v1={Convert.ToHexStringLower(Mac(secret, time, body))}";
    }

    /// <summary>Null when <paramref name="header"/> is a valid signature of <paramref name="body"/>, else why not.</summary>
    public static string? Verify(string secret, ReadOnlySpan<byte> body, string? header, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(header))
        {
            return $"The request has no {Header} header.";
        }
        string? time = null, mac = null;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)) time = part[2..];
            else if (part.StartsWith("v1=", StringComparison.Ordinal)) mac = part[3..];
        }
        if (!long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || mac is null)
        {
            return $"The {Header} header is not t={{unix seconds}},v1={{hex HMAC-SHA256}}.";
        }
        if (seconds > 253_402_300_799 || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return $"The signature's time is more than {Tolerance.TotalMinutes:0} minutes from the platform's clock.";
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(mac);
        }
        catch (FormatException)
        {
            return "The signature does not match the body.";
        }
        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, time!, body)) ? null : "The signature does not match the body.";
    }

    private static byte[] Mac(string secret, string time, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.ASCII.GetBytes(time + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
