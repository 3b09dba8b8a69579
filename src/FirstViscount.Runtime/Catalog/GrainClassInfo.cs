namespace FirstViscount.Catalog;

/// <summary>What the runtime knows about one grain class, computed once.</summary>
internal sealed record GrainClassInfo(string GrainType, Type ClassType, bool IsReentrant, TimeSpan? CollectionAge);
