using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Hosting;

/// <summary>What silos and cluster clients configure alike: services, options, membership and transport.</summary>
public abstract class RuntimeBuilder
{
    private readonly List<Action<SiloOptions>> configureOptions = [];

    public IServiceCollection Services { get; } = new ServiceCollection();

    public RuntimeBuilder Configure(Action<SiloOptions> configure)
    {
        configureOptions.Add(configure);
        return this;
    }

    internal SiloOptions BuildOptions()
    {
        var options = new SiloOptions();
        foreach (var configure in configureOptions)
        {
            configure(options);
        }
        options.Validate();
        Services.AddSingleton(options);
        return options;
    }
}
