namespace MLNet.KnnLinear;

/// <summary>Which part of a CIFAR-10 folder or archive to read.</summary>
public enum Cifar10Split
{
    /// <summary>data_batch_1.bin … data_batch_5.bin, in that order.</summary>
    Train = 0,

    /// <summary>test_batch.bin.</summary>
    Test = 1,
}
