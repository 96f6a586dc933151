namespace MLNet.KnnLinear;

/// <summary>One training row found near a query.</summary>
/// <param name="Row">The training row's number: its position among the rows that were used for training (rows with a missing label are skipped).</param>
/// <param name="Distance">Its distance to the query, under the model's <see cref="KnnDistance"/>.</param>
/// <param name="ClassIndex">Its class as a 0-based index (the label key value minus 1).</param>
public readonly record struct KnnNeighbor(int Row, float Distance, int ClassIndex);
