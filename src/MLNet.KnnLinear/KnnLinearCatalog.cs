using Microsoft.ML;
using MLNet.KnnLinear.MlNetInterop;

namespace MLNet.KnnLinear;

/// <summary>Every entry point of MLNet.KnnLinear, as extension methods on ML.NET's catalogs.</summary>
public static class KnnLinearCatalog
{
    /// <summary>
    /// A k-nearest-neighbours trainer: predicts the majority class of the <paramref name="numberOfNeighbors"/>
    /// training rows nearest to each row (see <see cref="KnnTrainer"/>).
    /// </summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column.</param>
    /// <param name="featureColumnName">The feature vector column.</param>
    /// <param name="numberOfNeighbors">k, the number of neighbours that vote.</param>
    /// <param name="distance">The distance neighbours are found by.</param>
    public static KnnTrainer Knn(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        int numberOfNeighbors = 5,
        KnnDistance distance = KnnDistance.L2)
        => catalog.Knn(new KnnTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfNeighbors = numberOfNeighbors,
            Distance = distance,
        });

    /// <summary>A k-nearest-neighbours trainer with every option (see <see cref="KnnTrainer.Options"/>).</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The trainer's options; validated here.</param>
    public static KnnTrainer Knn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, KnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KnnTrainer(CatalogEnvironment.Of(catalog), options);
    }
}
