namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// A transformer whose fitted state is saved in <see cref="ModelStateFormat"/> and can be loaded back by
/// ML.NET's <c>mlContext.Model.Load</c> (the registration lives in MlNetInterop/).
/// </summary>
internal interface IPersistentTransformer<TSelf>
    where TSelf : class, IPersistentTransformer<TSelf>
{
    /// <summary>Names and versions identifying the saved state.</summary>
    static abstract PersistenceInfo Persistence { get; }

    /// <summary>Reads the state written by <see cref="WriteState"/> at <paramref name="version"/>.</summary>
    static abstract TSelf ReadState(ModelStateReader reader, int version);

    /// <summary>Writes the fitted state at <see cref="PersistenceInfo.Version"/>.</summary>
    void WriteState(BinaryWriter writer);
}
