using FirstViscount.Hosting;
using FirstViscount.Membership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Transport.Tcp;

/// <summary>Registration of the TCP transport.</summary>
public static class TcpTransportExtensions
{
    /// <summary>Talks to other silos over TCP; a silo listens on <see cref="TcpTransportOptions.Port"/> and its endpoint becomes host:port.</summary>
    public static TBuilder UseTcpTransport<TBuilder>(this TBuilder builder, Action<TcpTransportOptions> configure) where TBuilder : RuntimeBuilder
    {
        var options = new TcpTransportOptions();
        configure(options);
        options.Validate();
        if (builder is SiloBuilder)
        {
            builder.Configure(silo => silo.Endpoint = $"{options.Host}:{options.Port}");
        }
        builder.Services.AddSingleton<IMessageTransport>(services =>
            new TcpTransport(services.GetRequiredService<SiloOptions>().ClusterId, options, services.GetRequiredService<ILoggerFactory>()));
        return builder;
    }
}
