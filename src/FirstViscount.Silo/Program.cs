using FirstViscount.SiloHost;

// With no configuration this is the embedded default: one silo on in-memory providers.
await SiloHostApp.Create(args).RunAsync();
