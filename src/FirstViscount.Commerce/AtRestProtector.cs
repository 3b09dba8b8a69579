using System.Security.Cryptography;
using System.Text;

namespace FirstViscount.Commerce;

/// <summary>
/// Encrypts text stored in the database with AES-256-GCM, under a key kept outside it (a setting, 32 bytes in
/// base64), never in the repository. Output: base64(nonce | tag | ciphertext). Each kind of secret has its own key.
/// </summary>
public abstract class AtRestProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] key;

    protected AtRestProtector(string base64Key, string setting)
    {
        try
        {
            key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException error)
        {
            throw new FirstViscountException($"Setting {setting} must be a base64 encoded 32-byte key.", error);
        }
        if (key.Length != 32)
        {
            throw new FirstViscountException($"Setting {setting} must decode to 32 bytes (AES-256), not {key.Length}.");
        }
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
    }

    /// <summary>Names the key without revealing it: the first 8 bytes of its SHA-256, in hex.</summary>
    public string KeyId { get; }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string plaintext)
    {
        var input = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + input.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, input, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedText)
    {
        var input = Convert.FromBase64String(protectedText);
        var output = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), output);
        return Encoding.UTF8.GetString(output);
    }
}
