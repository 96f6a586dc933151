namespace MLNet.KnnLinear;

/// <summary>
/// Progress of a long piece of index work, reported to an <see cref="IProgress{T}"/> given to
/// <see cref="NeighborIndex.Train(ReadOnlySpan{float}, IProgress{NeighborIndexProgress}?, CancellationToken)"/> or
/// <c>Add</c>: its stage, how far it is, and the time since the call began.
/// </summary>
/// <param name="Stage">What is running: <c>"k-means iteration"</c> (an inverted file's training), <c>"rows filed in lists"</c> (an inverted file's add), <c>"HNSW insertion"</c> (rows linked into the graph); in ML.NET's log also <c>"rows read"</c> (a fit reading its input, when the input knows its row count), <c>"SGD epoch"</c> and <c>"OWL-QN iteration"</c>. An exact index's add is a copy and reports nothing.</param>
/// <param name="Completed">Units done in this stage (iterations or rows).</param>
/// <param name="Total">Units the stage has in all.</param>
/// <param name="Elapsed">Time since the call began.</param>
public readonly record struct NeighborIndexProgress(string Stage, long Completed, long Total, TimeSpan Elapsed)
{
    /// <summary><see cref="Completed"/> as a fraction of <see cref="Total"/> (1 when the total is 0).</summary>
    public double Fraction => Total > 0 ? (double)Completed / Total : 1;

    /// <summary>For example "HNSW insertion 120,000 of 400,000 (30 %), 4.1 s".</summary>
    public override string ToString()
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Stage} {Completed:N0} of {Total:N0} ({Fraction:P0}), {Elapsed.TotalSeconds:F1} s");
}
