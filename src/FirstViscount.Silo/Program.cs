using FirstViscount.Hosting;
using FirstViscount.SiloHost;

// With no configuration this is the embedded default: one silo on in-memory providers.
var builder = WebApplication.CreateBuilder(args);
var siloSection = builder.Configuration.GetSection("Silo");

var siloBuilder = new SiloBuilder();
siloBuilder.Configure(options => siloSection.Bind(options));
siloBuilder.Services.AddLogging(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole());
siloBuilder.AddMemoryGrainStorageAsDefault();
var silo = siloBuilder.Build();

builder.Services.AddSingleton(silo);
builder.Services.AddSingleton(silo.GrainFactory);
builder.Services.AddHostedService<SiloHostedService>();
builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("membership", tags: ["ready"]);

var app = builder.Build();
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.MapGet("/", () => Results.Text($"FirstViscount silo {silo.Address}\n"));
app.Run();
