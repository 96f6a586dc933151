using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.KnnLinear;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

// ML.NET finds loaders by these registrations: the model file names our assembly and the loader signature
// (PersistenceInfo.Kind), ML.NET loads the assembly and calls ModelLoader<T>.Create.
[assembly: LoadableClass(typeof(LinearPredictionTransformer), typeof(ModelLoader<LinearPredictionTransformer>), null, typeof(SignatureLoadModel), "Linear classifier prediction transformer", LinearPredictionTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(HogFeaturesTransformer), typeof(ModelLoader<HogFeaturesTransformer>), null, typeof(SignatureLoadModel), "HoG features transformer", HogFeaturesTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(ColorHistogramTransformer), typeof(ModelLoader<ColorHistogramTransformer>), null, typeof(SignatureLoadModel), "Colour histogram transformer", ColorHistogramTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(NearestNeighborsTransformer), typeof(ModelLoader<NearestNeighborsTransformer>), null, typeof(SignatureLoadModel), "Nearest neighbours transformer", NearestNeighborsTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(KnnPredictionTransformer), typeof(ModelLoader<KnnPredictionTransformer>), null, typeof(SignatureLoadModel), "k-NN prediction transformer", KnnPredictionTransformer.LoaderSignature)]

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>The loader ML.NET calls (by reflection: a static <c>Create(IHostEnvironment, ModelLoadContext)</c> returning <typeparamref name="T"/>).</summary>
internal static class ModelLoader<T>
    where T : class, IPersistentTransformer<T>
{
    private static T Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        return ModelPersistence.Load<T>(ctx);
    }
}
