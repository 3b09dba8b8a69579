using Orleans.Dashboard;
using System.Text.Json.Serialization;
using FirstViscount.SiloHost.Gateway;
using FirstViscount.SiloHost.Gateway.Tokens;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace FirstViscount.SiloHost;

/// <summary>The silo host: an Orleans silo and, in the same process, the HTTP gateway of API.md.</summary>
public static class SiloHostApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        var postgres = SiloConfiguration.PostgresConnectionStrings(configuration) is [var first, ..] ? first : null;
        var redis = configuration["Redis:Configuration"] is { Length: > 0 } value ? value : null;

        builder.UseOrleans(silo => SiloConfiguration.Configure(silo, configuration));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
            kestrel.Limits.MaxRequestLineSize = 32 * 1024; // long queries reach validation and get a problem, not a bare 414
        });
        Observability.Configure(builder, configuration["Urls"] ?? "silo", hasRedis: redis is not null);
        if (postgres is not null)
        {
            builder.Services.AddSingleton(services => new IdempotencyKeys(services.GetRequiredService<NpgsqlDataSource>()));
        }
        var analytics = AnalyticsHosting.IsConfigured(configuration, postgres);
        if (analytics)
        {
            builder.Services.AddAnalytics(configuration);
        }
        builder.Services.AddHostedService<AdminAccountBootstrap>();
        builder.Services.Configure<CarrierSimulatorOptions>(configuration.GetSection("Delivery:Simulator"));
        builder.Services.AddSingleton<Commerce.Delivery.ISimulatedCarrierWebhooks, SimulatedCarrierWebhooks>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict; // "2" is not a quantity: 400 naming the field
        });
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            ExceptionMapping.Shorten(context.ProblemDetails);
        });
        builder.Services.AddExceptionHandler<ExceptionMapping>();
        // A body or parameter that does not bind throws, so ExceptionMapping can say which field and where (else 400 with no detail).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        builder.Services.AddDataProtection().SetApplicationName("FirstViscount");
        if (postgres is not null)
        {
            // The key ring lives in the silo's PostgreSQL, whose data source only the container has.
            builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
                .Configure<NpgsqlDataSource>((options, dataSource) => options.XmlRepository = new PostgresKeyRing(dataSource));
        }
        // JWT bearer tokens signed with keys every silo shares (signing_keys in PostgreSQL; in memory without it).
        var tokenOptions = configuration.GetSection("Auth").Get<TokenOptions>() ?? new TokenOptions();
        builder.Services.AddSingleton(tokenOptions);
        builder.Services.AddSingleton<ISigningKeyStore>(services => postgres is null
            ? new InMemorySigningKeyStore()
            : new PostgresSigningKeyStore(services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton(services => new SigningKeyRing(services.GetRequiredService<ISigningKeyStore>(), tokenOptions, TimeProvider.System));
        builder.Services.AddSingleton(services => new TokenIssuer(services.GetRequiredService<SigningKeyRing>(), tokenOptions, TimeProvider.System));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new Microsoft.IdentityModel.Tokens.TokenValidationParameters
            {
                ValidIssuer = TokenOptions.Issuer,
                ValidAudience = TokenOptions.Audience,
                NameClaimType = TokenIssuer.Claims.Subject,
                RoleClaimType = TokenIssuer.Claims.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            options.Events = new JwtBearerEvents { OnMessageReceived = DashboardSession.ReadCookie };
        });
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyRing>((options, ring) => options.ConfigurationManager = ring);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Principals.CustomerPolicy, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Principals.AdminPolicy, policy => policy.RequireRole("admin"));
        builder.Services.AddRateLimiter(options => RateLimits.Configure(options, configuration));
        builder.Services.AddOpenApi("v1", OpenApiConventions.Add);

        var health = builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("membership", tags: ["ready"]);
        if (postgres is not null)
        {
            health.AddCheck("postgres", new PostgresReadinessCheck(postgres), tags: ["ready"]);
            if (configuration["Postgres:ReplicaConnectionString"] is { Length: > 0 })
            {
                health.AddCheck<ReplicaReadinessCheck>("postgres-replica", tags: ["ready"]);
            }
        }
        if (redis is not null)
        {
            health.AddCheck<RedisReadinessCheck>("redis", tags: ["ready"]);
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthReportWriter.WriteAsync })
            .DisableRateLimiting();
        app.MapGet("/", (ILocalSiloDetails silo) => Results.Text($"FirstViscount silo {silo.SiloAddress}\n")).ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(options => options.SwaggerEndpoint("/openapi/v1.json", "FirstViscount v1"));
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Principals.AdminPolicy).DisableRateLimiting();
        app.MapOperationsPage();
        app.MapDashboardSession();
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(Principals.AdminPolicy).ExcludeFromDescription();
        app.MapAccountsApi();
        app.MapCartApi();
        app.MapInventoryApi();
        app.MapOperationsApi();
        if (postgres is not null)
        {
            app.MapCatalogApi();
            app.MapOrdersApi();
            app.MapShipmentsApi();
            app.MapCarriersApi();
            app.MapNotificationsApi();
            app.MapAuditApi();
            app.MapInventoryAlertsApi();
        }
        else
        {
            app.MapNeedsPostgres("/v1/products", "/v1/products/{sku}", "/v1/categories", "/v1/categories/{**slug}", "/v1/checkout", "/v1/orders", "/v1/orders/{orderId}", "/v1/orders/{orderId}/{action}",
                "/v1/admin/audit", "/v1/inventory/alerts");
        }
        if (analytics)
        {
            app.MapAnalyticsApi();
        }
        else
        {
            app.MapNeedsClickHouse("/v1/analytics/{report}");
        }
        return app;
    }
}
