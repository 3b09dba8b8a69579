namespace FirstViscount.Commerce.Delivery;

/// <summary>Encrypts carriers' webhook secrets and credentials at rest, under setting Delivery:CarrierKey.</summary>
public sealed class CarrierSecretProtector(string base64Key) : AtRestProtector(base64Key, "Delivery:CarrierKey");
