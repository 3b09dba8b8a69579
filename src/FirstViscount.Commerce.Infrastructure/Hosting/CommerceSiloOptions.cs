using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Registration;

namespace FirstViscount.Commerce.Hosting;

/// <summary>
/// What the domain runs on in a silo. With PostgreSQL and Redis both set, orders, payments, inventory and sagas
/// are durable in PostgreSQL and carts live in Redis; with neither, everything is in memory (the embedded
/// single-silo default and grain unit tests). One without the other is refused at start.
/// </summary>
public sealed class CommerceSiloOptions
{
    /// <summary>
    /// PostgreSQL databases: the first holds the event store, reminders, accounts and the catalog; grain state is
    /// sharded over all of them by a stable hash of the grain key.
    /// </summary>
    public List<string> PostgresConnectionStrings { get; set; } = [];

    /// <summary>A streaming replica of the first database that catalog search reads from while it is close enough behind (optional).</summary>
    public string? PostgresReplicaConnectionString { get; set; }

    public ReplicaOptions Replica { get; set; } = new();

    /// <summary>StackExchange.Redis configuration, e.g. "127.0.0.1:16379,password=..." (TLS: "127.0.0.1:16380,ssl=true").</summary>
    public string? RedisConfiguration { get; set; }

    /// <summary>A PEM file of the certificate authority a TLS Redis server's certificate must chain to (otherwise the machine's roots).</summary>
    public string? RedisTrustedCertificateAuthority { get; set; }

    /// <summary>Base64 32-byte AES key that encrypts payer details at rest (setting Payments:PayerKey); required with PostgreSQL.</summary>
    public string? PayerKey { get; set; }

    /// <summary>Base64 32-byte AES key that encrypts carriers' secrets at rest (setting Delivery:CarrierKey); required with PostgreSQL.</summary>
    public string? CarrierKey { get; set; }

    /// <summary>How long a cart lives in Redis after its last change.</summary>
    public TimeSpan CartTimeToLive { get; set; } = TimeSpan.FromDays(7);

    public CheckoutOptions Checkout { get; set; } = new();

    public RegistrationOptions Registration { get; set; } = new();

    public bool IsDurable => PostgresConnectionStrings.Count > 0;

    internal void Validate()
    {
        if (IsDurable != !string.IsNullOrWhiteSpace(RedisConfiguration))
        {
            throw new FirstViscountException(
                "PostgreSQL and Redis go together: set both Postgres:ConnectionString and Redis:Configuration, or neither for the embedded in-memory silo.");
        }
        if (IsDurable && string.IsNullOrWhiteSpace(PayerKey))
        {
            throw new FirstViscountException("Setting Payments:PayerKey is missing: a base64 32-byte key that encrypts payer details at rest (deploy/up.sh generates one).");
        }
        if (IsDurable && string.IsNullOrWhiteSpace(CarrierKey))
        {
            throw new FirstViscountException("Setting Delivery:CarrierKey is missing: a base64 32-byte key that encrypts carriers' secrets at rest (deploy/up.sh generates one).");
        }
    }
}
