using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// Product quantization with 8 bits a code (faiss' <c>ProductQuantizer</c>, <c>nbits = 8</c>): a row of d values is
/// cut into <see cref="Subquantizers"/> (m) consecutive sub-vectors of d / m values, and each is stored as the number
/// of its nearest of 256 centroids learnt for that sub-space, so a row takes m bytes. Searching compares a query with
/// codes through distance tables (ADC, asymmetric distance computation): the query's distance to each of the m × 256
/// centroids once, then a code's distance is the sum of m table entries. Centroids are held in faiss' layout (sub-space,
/// centroid, value), so a faiss file's centroids are used as they are, and transposed (sub-space, value, centroid) for
/// the tables, which are then 256-wide vector operations over a sub-space's centroids.
/// </summary>
internal sealed class ProductQuantizer
{
    /// <summary>Centroids per sub-space: 2⁸, one byte a code.</summary>
    public const int CentroidsPerSubspace = 256;

    private readonly float[] _centroids;
    private readonly float[] _transposed;
    private readonly float[] _centroidSquaredNorms;

    /// <summary>A quantizer from trained centroids (faiss' <c>centroids</c>: sub-space, centroid, value).</summary>
    /// <exception cref="ArgumentException">The shapes do not fit, or a centroid value is not finite.</exception>
    public ProductQuantizer(int dimension, int subquantizers, float[] centroids)
    {
        if (dimension < 1 || subquantizers < 1 || dimension % subquantizers != 0)
        {
            throw new ArgumentException($"A product quantizer of {subquantizers} sub-quantizers does not divide {dimension} dimensions.");
        }

        if (centroids.LongLength != (long)CentroidsPerSubspace * dimension)
        {
            throw new ArgumentException($"A product quantizer of {dimension} dimensions holds {CentroidsPerSubspace * (long)dimension} centroid values; got {centroids.LongLength}.");
        }

        if (!float.IsFinite(TensorPrimitives.MaxMagnitude(centroids)))
        {
            throw new ArgumentException("A product quantizer's centroids must be finite.");
        }

        Dimension = dimension;
        Subquantizers = subquantizers;
        SubDimension = dimension / subquantizers;
        _centroids = centroids;
        _transposed = new float[centroids.Length];
        _centroidSquaredNorms = new float[subquantizers * CentroidsPerSubspace];
        for (int m = 0; m < subquantizers; m++)
        {
            for (int c = 0; c < CentroidsPerSubspace; c++)
            {
                var centroid = Centroid(m, c);
                _centroidSquaredNorms[(m * CentroidsPerSubspace) + c] = TensorPrimitives.Dot(centroid, centroid);
                for (int t = 0; t < SubDimension; t++)
                {
                    _transposed[(((m * SubDimension) + t) * CentroidsPerSubspace) + c] = centroid[t];
                }
            }
        }
    }

    public int Dimension { get; }

    /// <summary>Sub-spaces, and bytes a code (faiss' <c>M</c>).</summary>
    public int Subquantizers { get; }

    /// <summary>Values per sub-space (faiss' <c>dsub</c>).</summary>
    public int SubDimension { get; }

    /// <summary>Floats in one query's distance tables: m × 256.</summary>
    public int TableLength => Subquantizers * CentroidsPerSubspace;

    /// <summary>The centroids in faiss' layout (sub-space, centroid, value).</summary>
    public ReadOnlySpan<float> Centroids => _centroids;

    /// <summary>Centroid <paramref name="centroid"/> of sub-space <paramref name="subspace"/>.</summary>
    public ReadOnlySpan<float> Centroid(int subspace, int centroid)
        => _centroids.AsSpan(((subspace * CentroidsPerSubspace) + centroid) * SubDimension, SubDimension);

    /// <summary>Bytes held: the centroids twice (both layouts) and their squared norms.</summary>
    public long MemoryBytes => (2L * _centroids.Length * sizeof(float)) + (_centroidSquaredNorms.Length * sizeof(float));

    /// <summary>
    /// <c>table[m·256 + c]</c> = ⟨query_m, centroid_{m,c}⟩ for every sub-space m and centroid c: one multiply-add over a
    /// sub-space's 256 centroids per query value.
    /// </summary>
    public void InnerProductTables(ReadOnlySpan<float> query, Span<float> table)
    {
        table = table[..TableLength];
        table.Clear();
        for (int m = 0; m < Subquantizers; m++)
        {
            var sums = table.Slice(m * CentroidsPerSubspace, CentroidsPerSubspace);
            for (int t = 0; t < SubDimension; t++)
            {
                int j = (m * SubDimension) + t;
                TensorPrimitives.MultiplyAdd(_transposed.AsSpan(j * CentroidsPerSubspace, CentroidsPerSubspace), query[j], sums, sums);
            }
        }
    }

    /// <summary>
    /// <c>table[m·256 + c]</c> = ‖query_m − centroid_{m,c}‖² for every sub-space and centroid, as
    /// ‖query_m‖² − 2⟨query_m, centroid⟩ + ‖centroid‖² (faiss' precomputed-table arithmetic), at least 0.
    /// </summary>
    public void L2Tables(ReadOnlySpan<float> query, Span<float> table)
    {
        table = table[..TableLength];
        InnerProductTables(query, table);
        TensorPrimitives.MultiplyAdd(table, -2f, _centroidSquaredNorms, table);
        for (int m = 0; m < Subquantizers; m++)
        {
            var sub = query.Slice(m * SubDimension, SubDimension);
            var row = table.Slice(m * CentroidsPerSubspace, CentroidsPerSubspace);
            TensorPrimitives.Add(row, TensorPrimitives.Dot(sub, sub), row);
            TensorPrimitives.Max(row, 0f, row);
        }
    }

    /// <summary>
    /// The residual tables of an inverted list (faiss' precomputed <c>term2</c>): <c>table[m·256 + c]</c> =
    /// ‖centroid_{m,c}‖² + 2⟨listCentroid_m, centroid_{m,c}⟩. A query's L2 table in that list is then this minus twice
    /// its inner-product table, and its distance to a code ‖q − listCentroid‖² plus the code's sum.
    /// </summary>
    public void ResidualTerms(ReadOnlySpan<float> listCentroid, Span<float> table)
    {
        table = table[..TableLength];
        InnerProductTables(listCentroid, table);
        TensorPrimitives.MultiplyAdd(table, 2f, _centroidSquaredNorms, table);
    }

    /// <summary>A row's code: in each sub-space the nearest centroid by L2 (the first of equals), as faiss' <c>compute_code</c>.</summary>
    /// <param name="row">The row.</param>
    /// <param name="code">Receives <see cref="Subquantizers"/> bytes.</param>
    /// <param name="table">Scratch of <see cref="TableLength"/> floats.</param>
    public void Encode(ReadOnlySpan<float> row, Span<byte> code, Span<float> table)
    {
        L2Tables(row, table);
        for (int m = 0; m < Subquantizers; m++)
        {
            code[m] = (byte)TensorPrimitives.IndexOfMin(table.Slice(m * CentroidsPerSubspace, CentroidsPerSubspace));
        }
    }

    /// <summary>A code's row: its centroids side by side (faiss' <c>decode</c>).</summary>
    public void Decode(ReadOnlySpan<byte> code, Span<float> row)
    {
        for (int m = 0; m < Subquantizers; m++)
        {
            Centroid(m, code[m]).CopyTo(row.Slice(m * SubDimension, SubDimension));
        }
    }

    /// <summary>
    /// A code's sum in a query's tables: Σ_m table[m·256 + code_m] (the ADC distance or similarity). The hot loop of a
    /// search (half its time at m = 96): four running sums, and no bounds checks, since a byte code indexes within its
    /// sub-space's 256 entries and the lengths are checked once.
    /// </summary>
    public static float Sum(ReadOnlySpan<float> table, ReadOnlySpan<byte> code)
    {
        if (table.Length < code.Length * CentroidsPerSubspace)
        {
            throw new ArgumentException($"A code of {code.Length} bytes needs a table of {code.Length * CentroidsPerSubspace} floats; got {table.Length}.", nameof(table));
        }

        ref float entries = ref MemoryMarshal.GetReference(table);
        ref byte bytes = ref MemoryMarshal.GetReference(code);
        float a = 0f, b = 0f, c = 0f, d = 0f;
        int m = 0;
        nint offset = 0;
        for (; m + 4 <= code.Length; m += 4, offset += 4 * CentroidsPerSubspace)
        {
            a += Unsafe.Add(ref entries, offset + Unsafe.Add(ref bytes, m));
            b += Unsafe.Add(ref entries, offset + CentroidsPerSubspace + Unsafe.Add(ref bytes, m + 1));
            c += Unsafe.Add(ref entries, offset + (2 * CentroidsPerSubspace) + Unsafe.Add(ref bytes, m + 2));
            d += Unsafe.Add(ref entries, offset + (3 * CentroidsPerSubspace) + Unsafe.Add(ref bytes, m + 3));
        }

        for (; m < code.Length; m++, offset += CentroidsPerSubspace)
        {
            a += Unsafe.Add(ref entries, offset + Unsafe.Add(ref bytes, m));
        }

        return (a + b) + (c + d);
    }
}
