using Microsoft.AspNetCore.Identity;

namespace FirstViscount.Commerce.Accounts;

/// <summary>Password hashing with the framework's PasswordHasher (PBKDF2, salted, versioned format).</summary>
public static class AccountPasswords
{
    private static readonly PasswordHasher<Account> Hasher = new();

    public static string Hash(string password) => Hasher.HashPassword(null!, password);

    public static bool Verify(string passwordHash, string password) =>
        Hasher.VerifyHashedPassword(null!, passwordHash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;
}
