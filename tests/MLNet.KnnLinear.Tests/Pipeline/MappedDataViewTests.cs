using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.ModelRunner;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Pipeline;

public sealed class MappedDataViewTests
{
    [Fact]
    public void MappedCursor_SourceWithDifferentOrderPerCursor_StaysCorrect()
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(100, 5, seed: 1), 5);
        var test = SyntheticData.Keyed(ml, SyntheticData.Rows(600, 5, seed: 2), 5);
        var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3).Fit(train);
        var expected = ColumnDump.Rows(model.Transform(test), "Score", "PredictedLabel").ToDictionary(r => r.Id, r => Convert.ToHexString(r.Bytes));

        // Every cursor of this source visits the rows in a new order; a mapped cursor reads its source through one
        // cursor, so rows, ids and outputs stay together whatever the order.
        var unstable = ml.Data.ShuffleRows(test, seed: 3, shufflePoolSize: 1000);
        var actual = ColumnDump.Rows(model.Transform(new ReshufflingDataView(unstable)), "Score", "PredictedLabel");

        actual.Should().HaveCount(600);
        actual.Should().OnlyContain(r => Convert.ToHexString(r.Bytes) == expected[r.Id]);
    }

    [Fact]
    public void MappedCursor_Blocks_PassedThroughValuesStayWithTheirRows()
    {
        // A batched cursor keeps the passed-through values of a whole block: every row must still carry its own.
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(100, 5, seed: 1), 5);
        var rows = SyntheticData.Rows(2500, 5, seed: 2);
        var test = SyntheticData.Keyed(ml, rows, 5);
        var scored = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3).Fit(train).Transform(test);

        using var cursor = scored.GetRowCursor(scored.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(scored.Schema["Features"]);
        var label = cursor.GetGetter<uint>(scored.Schema["Label"]);
        var predicted = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
        var id = cursor.GetIdGetter();
        VBuffer<float> vector = default;
        uint key = 0;
        uint prediction = 0;
        DataViewRowId rowId = default;
        int i = 0;
        while (cursor.MoveNext())
        {
            features(ref vector);
            label(ref key);
            predicted(ref prediction);
            id(ref rowId);
            cursor.Position.Should().Be(i);
            rowId.Low.Should().Be((ulong)i);
            vector.DenseValues().Should().Equal(rows[i].Features, $"row {i}");
            key.Should().Be((uint)Array.IndexOf(SyntheticData.ClassNames, rows[i].Label) + 1, $"row {i}");
            prediction.Should().BeInRange(1u, 4u);
            i++;
        }

        i.Should().Be(2500, "more rows than one 1,024-row block");
    }

    [Fact]
    public void MappedDataView_CursorSet_ReturnsEveryRowOnce()
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(100, 5, seed: 1), 5);
        var test = SyntheticData.Keyed(ml, SyntheticData.Rows(700, 5, seed: 2), 5);
        var scored = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3).Fit(train).Transform(test);

        var cursors = scored.GetRowCursorSet(scored.Schema, 2);
        long rows = 0;
        foreach (var cursor in cursors)
        {
            var getter = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
            uint value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                value.Should().BeInRange(1u, 4u);
                rows++;
            }

            cursor.Dispose();
        }

        rows.Should().Be(700);
    }

    /// <summary>Hands out cursors whose row order differs each time (a new shuffle seed per cursor), keeping row ids.</summary>
    private sealed class ReshufflingDataView(IDataView shuffled) : IDataView
    {
        private int _cursors;

        public bool CanShuffle => false;

        public DataViewSchema Schema => shuffled.Schema;

        public long? GetRowCount() => shuffled.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
            => shuffled.GetRowCursor(columnsNeeded, new Random(++_cursors));

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
            => [GetRowCursor(columnsNeeded, rand)];
    }
}
