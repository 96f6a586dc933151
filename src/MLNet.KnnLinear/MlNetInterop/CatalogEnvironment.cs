using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>The host environment behind a catalog (internal in ML.NET), for logging and cancellation.</summary>
internal static class CatalogEnvironment
{
    public static IHostEnvironment Of(object catalog)
        => catalog is IInternalCatalog internalCatalog
            ? internalCatalog.Environment
            : throw new ArgumentException($"{catalog.GetType().Name} is not an ML.NET catalog.", nameof(catalog));
}
