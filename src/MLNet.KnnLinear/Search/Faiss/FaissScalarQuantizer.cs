namespace MLNet.KnnLinear.Search.Faiss;

/// <summary>The values of faiss' ScalarQuantizer record that this library writes and reads.</summary>
internal static class FaissScalarQuantizer
{
    /// <summary><c>ScalarQuantizer::QT_8bit</c> (0; 1 is QT_4bit): 8 bits a dimension, a range per dimension.</summary>
    public const int Qt8Bit = 0;

    /// <summary><c>ScalarQuantizer::RS_minmax</c>: ranges from the training minimum and maximum.</summary>
    public const int RangeMinMax = 0;
}
