using System.Text.Json;
using FirstViscount.Activations;
using FirstViscount.Catalog;
using FirstViscount.Messaging;
using FirstViscount.State;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Hosting;

/// <summary>The parts of one silo that its activations share. Wired once by <see cref="Silo"/>.</summary>
internal sealed class SiloRuntime
{
    public required SiloOptions Options { get; init; }
    public required TimeProvider Time { get; init; }
    public required IServiceProvider Services { get; init; }
    public required ILogger Logger { get; init; }
    public required GrainTypeCatalog Catalog { get; init; }
    public required IWriteFence Fence { get; init; }
    public ActivationDirectory Directory { get; } = new();
    public GrainInstanceFactory InstanceFactory => field ??= new GrainInstanceFactory(this);
    public GrainCallRouter Router { get; set; } = null!;
    public IGrainFactory GrainFactory { get; set; } = null!;
    public JsonSerializerOptions Json { get; set; } = null!;
}
