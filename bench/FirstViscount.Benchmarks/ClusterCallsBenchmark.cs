using System.Buffers.Binary;
using System.Collections.Concurrent;
using FirstViscount.Hosting;
using FirstViscount.Membership;
using FirstViscount.Transport.Tcp;
using Microsoft.Extensions.Logging.Abstractions;

namespace FirstViscount.Benchmarks;

/// <summary>
/// cluster-calls: grain calls/s from one silo to grains owned by another over the TCP transport (loopback,
/// Kestrel listener, length-prefixed frames), with 1 and 64 callers, against a raw echo of same-sized frames
/// over the same transport with no runtime above it.
/// </summary>
internal static class ClusterCallsBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
        var port = 17_100 + Random.Shared.Next(0, 400) * 2;
        var table = new InMemoryMembershipTable();
        await using var caller = await StartSiloAsync(table, port);
        await using var callee = await StartSiloAsync(table, port + 1);
        var view = table.View;
        var grains = Enumerable.Range(1, 20_000).Select(i => (long)i)
            .Where(k => Placement.RendezvousPlacement.SelectOwner(new GrainId(typeof(AdderGrain).FullName!, k.ToString(System.Globalization.CultureInfo.InvariantCulture)), view) == callee.Address)
            .Take(64).Select(k => caller.GrainFactory.GetGrain<IAdderGrain>(k)).ToArray();
        await using var echo = await RawEcho.StartAsync(port + 2);

        var results = new List<BenchResult>();
        foreach (var callers in new[] { 1, 64 })
        {
            var raw = await Throughput.MeasureAsync(callers, duration, _ => new ValueTask(echo.RoundTripAsync()));
            var calls = await Throughput.MeasureAsync(callers, duration, async i => await grains[i].Add(1));
            results.Add(new BenchResult($"cluster-calls/tcp/{callers}-callers", calls, "calls/s", "raw echo, same framing and transport", raw));
        }
        return results;
    }

    private static async Task<Silo> StartSiloAsync(InMemoryMembershipTable table, int port)
    {
        var builder = new SiloBuilder();
        builder.UseInMemoryMembership(table).UseTcpTransport(options => options.Port = port);
        var silo = builder.Build();
        await silo.StartAsync();
        return silo;
    }

    /// <summary>An echo server and client on the TCP transport, matching replies to requests by id.</summary>
    private sealed class RawEcho : IInboundFrameHandler, IOutboundFrameHandler, IAsyncDisposable
    {
        private readonly ConcurrentDictionary<long, TaskCompletionSource> pending = new();
        private readonly TcpTransport server;
        private readonly TcpTransport client;
        private IOutboundConnection connection = null!;
        private long nextId;

        private RawEcho(int port)
        {
            server = new TcpTransport("bench", new TcpTransportOptions { Port = port }, NullLoggerFactory.Instance);
            client = new TcpTransport("bench", new TcpTransportOptions { Port = 0 }, NullLoggerFactory.Instance);
        }

        public static async Task<RawEcho> StartAsync(int port)
        {
            var echo = new RawEcho(port);
            var address = new SiloAddress($"127.0.0.1:{port}", 1);
            await echo.server.ListenAsync(address, echo, CancellationToken.None);
            echo.connection = await echo.client.ConnectAsync(address, echo, CancellationToken.None);
            return echo;
        }

        /// <summary>A request of about the size of a grain call (header, grain id, method, one argument).</summary>
        public Task RoundTripAsync()
        {
            var id = Interlocked.Increment(ref nextId);
            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[id] = completion;
            var frame = new byte[120];
            BinaryPrimitives.WriteInt64LittleEndian(frame, id);
            connection.Send(frame);
            return completion.Task;
        }

        public void OnRequest(IReplyChannel replyChannel, ReadOnlySpan<byte> frame) => replyChannel.Reply(frame[..40].ToArray());

        public void OnResponse(IOutboundConnection connection, ReadOnlySpan<byte> frame)
        {
            if (pending.TryRemove(BinaryPrimitives.ReadInt64LittleEndian(frame), out var completion))
            {
                completion.TrySetResult();
            }
        }

        public void OnClosed(IOutboundConnection connection, Exception? error)
        {
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync();
            await server.DisposeAsync();
        }
    }
}
