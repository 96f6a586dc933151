using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search.Ivf;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Indexes of product-quantized codes in a model's state, each after a flag for codes ranked by faiss' inner product
/// (a faiss file's): layout 7, an exact index (the sub-quantizer count, the centroids in faiss' layout, then each
/// row's code), and 8, an inverted file (lists, probes, whether codes are residuals, centroids, the sub-quantizer count and the quantizer's centroids, then each list's size, row numbers and
/// codes). Every count is checked when read.
/// </summary>
internal static partial class NeighborIndexState
{
    /// <summary>Writes an index of product codes and returns true; false (nothing written) for any other kind.</summary>
    private static bool WriteProductQuantized(BinaryWriter writer, NeighborIndex index)
    {
        if (index.ExactPq is { } exact)
        {
            writer.Write((byte)RowLayout.ExactProductCodes);
            writer.Write(exact.Metric == CodeMetric.InnerProduct);
            WriteProductQuantizer(writer, exact.Quantizer);
            for (int r = 0; r < exact.Count; r++)
            {
                writer.WriteArray(exact.Code(r));
            }

            return true;
        }

        if (index.IvfPq is { } ivf)
        {
            writer.Write((byte)RowLayout.InvertedFileProductCodes);
            writer.Write(ivf.Metric == CodeMetric.InnerProduct);
            writer.Write(ivf.NumberOfLists);
            writer.Write(ivf.NumberOfProbes);
            writer.Write(ivf.ByResidual);
            writer.WriteArray(ivf.Centroids);
            WriteProductQuantizer(writer, ivf.Quantizer);
            for (int l = 0; l < ivf.NumberOfLists; l++)
            {
                writer.Write(ivf.ListRows(l).Length);
                writer.WriteArray(ivf.ListRows(l));
                writer.WriteArray(ivf.ListCodes(l));
            }

            return true;
        }

        return false;
    }

    private static void WriteProductQuantizer(BinaryWriter writer, ProductQuantizer quantizer)
    {
        writer.Write(quantizer.Subquantizers);
        writer.WriteArray(quantizer.Centroids);
    }

    private static NeighborIndex ReadProductQuantized(ModelStateReader reader, RowLayout layout, int features, int rows, KnnDistance distance, int maxThreads)
    {
        if (distance == KnnDistance.L1)
        {
            throw reader.Invalid("product-quantized codes rank by L2 or cosine, but the distance is L1");
        }

        bool innerProduct = reader.ReadBoolean("inner product");
        if (innerProduct && distance != KnnDistance.Cosine)
        {
            throw reader.Invalid($"codes ranked by inner product are a cosine index's, but the distance is {distance}");
        }

        if (layout == RowLayout.ExactProductCodes)
        {
            var quantizer = ReadProductQuantizer(reader, features);
            var exact = new ProductQuantizedIndex(features, distance, quantizer, maxThreads, innerProduct);
            exact.AddCodes(reader.ReadArray<byte>((long)rows * quantizer.Subquantizers, "codes"));
            return new NeighborIndex(exact, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = quantizer.Subquantizers } }, maxThreads);
        }

        int lists = reader.ReadInt32("number of lists", 1, rows);
        int probes = reader.ReadInt32("number of probes", 1, lists);
        bool byResidual = reader.ReadBoolean("by residual");
        var centroids = reader.ReadArray<float>((long)lists * features, "centroids");
        var listQuantizer = ReadProductQuantizer(reader, features);
        var (ids, codes) = ReadLists<byte>(reader, lists, listQuantizer.Subquantizers, rows, "list codes");
        try
        {
            var ivf = IvfPqIndex.FromCodes(centroids, listQuantizer, byResidual, ids, codes, features, distance, probes, maxThreads, innerProduct);
            var options = new IvfIndexOptions { NumberOfLists = lists, NumberOfProbes = probes, Encoding = new ProductQuantizerEncoding { Subquantizers = listQuantizer.Subquantizers } };
            return new NeighborIndex(ivf, options, maxThreads);
        }
        catch (InvalidDataException e)
        {
            throw reader.Invalid(e.Message);
        }
    }

    private static ProductQuantizer ReadProductQuantizer(ModelStateReader reader, int features)
    {
        int m = reader.ReadInt32("sub-quantizers", 1, features);
        if (features % m != 0)
        {
            throw reader.Invalid($"{m} sub-quantizers do not divide the {features} features");
        }

        var centroids = reader.ReadArray<float>((long)ProductQuantizer.CentroidsPerSubspace * features, "product quantizer centroids");
        try
        {
            return new ProductQuantizer(features, m, centroids);
        }
        catch (ArgumentException e)
        {
            throw reader.Invalid(e.Message);
        }
    }
}
