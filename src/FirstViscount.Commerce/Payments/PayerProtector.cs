namespace FirstViscount.Commerce.Payments;

/// <summary>Encrypts payer details at rest, under setting Payments:PayerKey.</summary>
public sealed class PayerProtector(string base64Key) : AtRestProtector(base64Key, "Payments:PayerKey");
