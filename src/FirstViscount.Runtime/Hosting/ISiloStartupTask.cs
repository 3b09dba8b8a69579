namespace FirstViscount.Hosting;

/// <summary>Work a provider needs done before its silo joins the cluster (migrations, connection checks).</summary>
public interface ISiloStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}
