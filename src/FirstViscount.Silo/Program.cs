using FirstViscount.SiloHost;

// With no configuration this is the embedded default: one silo on in-memory providers.
var builder = WebApplication.CreateBuilder(args);
var silo = SiloConfiguration.Build(builder.Configuration,
    logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole());

builder.Services.AddSingleton(silo);
builder.Services.AddSingleton(silo.GrainFactory);
builder.Services.AddHostedService<SiloHostedService>();
var health = builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("membership", tags: ["ready"]);
if (SiloConfiguration.PostgresConnectionStrings(builder.Configuration) is [var postgres, ..])
{
    health.AddCheck("postgres", new PostgresReadinessCheck(postgres), tags: ["ready"]);
}
if (builder.Configuration["Redis:Configuration"] is { Length: > 0 } redis)
{
    health.AddCheck("redis", new RedisReadinessCheck(redis), tags: ["ready"]);
}

var app = builder.Build();
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.MapGet("/", () => Results.Text($"FirstViscount silo {silo.Address}\n"));
app.Run();
