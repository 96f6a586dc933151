using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.ModelRunner;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Knn;

/// <summary>
/// kNN takes raw pixels as a Byte vector (what <c>LoadFromCifar10</c> gives) with no float round trip: L1 keeps the
/// bytes as they are, L2 and cosine widen one row at a time into their panels. Predictions and scores must be exactly
/// those of the same pixels converted to Single, whichever type the model was trained on or is queried with.
/// </summary>
public sealed class KnnByteFeatureTests
{
    [SkippableTheory]
    [InlineData(KnnDistance.L1)]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.Cosine)]
    public void Knn_Cifar10BytePixels_EqualSinglePixels(KnnDistance distance)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.TakeRows(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train), 3000);
        var test = ml.Data.TakeRows(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test), 300);
        var toSingle = ml.Transforms.Conversion.ConvertType("Features", "Pixels", DataKind.Single);
        var options = new KnnTrainer.Options { NumberOfNeighbors = 7, Distance = distance, Weighting = KnnWeighting.InverseDistance };

        var fromSingles = toSingle.Append(ml.MulticlassClassification.Trainers.Knn(options)).Fit(train);
        var fromBytes = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 7, Distance = distance, Weighting = KnnWeighting.InverseDistance, FeatureColumnName = "Pixels" }).Fit(train);

        var expected = ColumnDump.Rows(fromSingles.Transform(test), "Score", "PredictedLabel").Select(r => Convert.ToHexString(r.Bytes)).ToList();
        var actual = ColumnDump.Rows(fromBytes.Transform(test), "Score", "PredictedLabel").Select(r => Convert.ToHexString(r.Bytes)).ToList();
        actual.Should().HaveCount(300).And.Equal(expected);

        // A byte-trained model scores Single queries, and a single-trained model Byte queries, identically.
        var singlePixels = ml.Transforms.Conversion.ConvertType("Pixels", "Pixels", DataKind.Single).Fit(test).Transform(test);
        var bytesModelOnSingles = ColumnDump.Rows(fromBytes.Transform(singlePixels), "Score", "PredictedLabel").Select(r => Convert.ToHexString(r.Bytes)).ToList();
        bytesModelOnSingles.Should().Equal(expected);
        var singlesModel = fromSingles.LastTransformer;
        var singlesModelOnBytes = ColumnDump.Rows(singlesModel.Transform(ml.Transforms.CopyColumns("Features", "Pixels").Fit(test).Transform(test)), "Score", "PredictedLabel").Select(r => Convert.ToHexString(r.Bytes)).ToList();
        singlesModelOnBytes.Should().Equal(expected);
    }

    [Fact]
    public void Knn_ByteFeatures_WrongSize_NamesTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 6).Select(i => new ByteRow { Label = i % 2 == 0 ? "a" : "b", Pixels = [(byte)i, (byte)(2 * i), 3] }).ToArray();
        var schema = SchemaDefinition.Create(typeof(ByteRow));
        schema[nameof(ByteRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, 3);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 1, Distance = KnnDistance.L1, FeatureColumnName = "Pixels" }))
            .Fit(data);
        model.Transform(data).GetColumn<uint>("PredictedLabel").Should().Equal(1, 2, 1, 2, 1, 2);

        var wider = SchemaDefinition.Create(typeof(ByteRow));
        wider[nameof(ByteRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, 4);
        var other = ml.Data.LoadFromEnumerable(rows.Select(r => new ByteRow { Label = r.Label, Pixels = [.. r.Pixels, 0] }).ToArray(), wider);
        var act = () => model.Transform(other);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Feature column 'Pixels' has 4 slots; the model was trained on 3*");
    }

    public sealed class ByteRow
    {
        public string Label { get; set; } = string.Empty;

        public byte[] Pixels { get; set; } = [];
    }
}
