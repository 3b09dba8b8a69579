using FirstViscount.Commerce.Accounts;

namespace FirstViscount.SiloHost;

/// <summary>Creates the admin account named by configuration (Admin:Email, Admin:Password) if it does not exist.</summary>
internal sealed class AdminAccountBootstrap(IConfiguration configuration, IAccountStore accounts) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration["Admin:Email"] is not { Length: > 0 } email || configuration["Admin:Password"] is not { Length: > 0 } password)
        {
            return;
        }
        if (await accounts.FindByEmailAsync(email, cancellationToken) is null)
        {
            // The id follows from the e-mail, so silos starting together create the same account once.
            var id = "admin-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.ToLowerInvariant())))[..16];
            await accounts.CreateAsync(new Account(id, email, "Administrator", AccountPasswords.Hash(password), "admin"), cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
