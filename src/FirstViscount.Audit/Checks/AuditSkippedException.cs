namespace FirstViscount.Audit.Checks;

/// <summary>Thrown by a check that finds, once it looks, that there is nothing it can compare yet.</summary>
internal sealed class AuditSkippedException(string reason) : Exception(reason);
