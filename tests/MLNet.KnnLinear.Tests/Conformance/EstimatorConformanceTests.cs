using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.ModelRunner;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Conformance;

/// <summary>
/// The checks every estimator of this library must pass (ML.NET's TestEstimatorCore and scikit-learn's
/// check_estimator in one): the promised schema is the delivered one; Transform is lazy; bad input fails clearly
/// in Fit and in Transform; save/load gives bit-identical outputs, also in a fresh process; row by row equals
/// batch; row order and subsets do not change a row's outputs; fitting twice gives identical outputs; Fit does not
/// change the options. A component's test class derives from this and supplies data and its bad inputs.
/// </summary>
public abstract class EstimatorConformanceTests
{
    /// <summary>The estimator under test, built from <see cref="Options"/> when it has options.</summary>
    protected abstract IEstimator<ITransformer> CreateEstimator(MLContext ml);

    /// <summary>The options object behind <see cref="CreateEstimator"/>, checked to be unchanged by Fit (null: none).</summary>
    protected abstract object? Options { get; }

    protected abstract IDataView TrainData(MLContext ml);

    protected abstract IDataView TestData(MLContext ml);

    /// <summary>The columns the component appends; compared bit for bit.</summary>
    protected abstract string[] OutputColumns { get; }

    /// <summary>Inputs that Fit must reject (missing or mistyped columns, empty data, NaN, …).</summary>
    protected abstract IEnumerable<BadInput> BadFitInputs { get; }

    /// <summary>Inputs that a fitted transformer must reject, in Transform or while reading.</summary>
    protected abstract IEnumerable<BadInput> BadTransformInputs { get; }

    /// <summary>What ConvertToOnnx's NotSupportedException must say when the component cannot be exported (null: it exports).</summary>
    protected virtual string? OnnxRefusal => null;

    protected static MLContext NewContext() => new(seed: 1);

    /// <summary>Test rows on which ONNX Runtime may differ from ML.NET because values tie within float rounding (none by default).</summary>
    protected virtual ISet<int> OnnxTiedRows(ITransformer transformer, IDataView test) => new HashSet<int>();

    [Fact]
    public void Estimator_GetOutputSchema_MatchesTransformedSchema()
    {
        var ml = NewContext();
        var estimator = CreateEstimator(ml);
        var train = TrainData(ml);
        var promised = estimator.GetOutputSchema(SchemaShapes.FromSchema(train.Schema));
        var delivered = SchemaShapes.FromSchema(estimator.Fit(train).Transform(TestData(ml)).Schema);

        foreach (string name in OutputColumns)
        {
            var shape = promised.SingleOrDefault(c => c.Name == name);
            shape.Name.Should().Be(name, $"GetOutputSchema must promise '{name}'");
            var actual = delivered.SingleOrDefault(c => c.Name == name);
            actual.Name.Should().Be(name, $"Transform must deliver '{name}'");
            shape.Kind.Should().Be(actual.Kind, $"'{name}' kind");
            shape.ItemType.Should().Be(actual.ItemType, $"'{name}' item type");
            shape.IsKey.Should().Be(actual.IsKey, $"'{name}' key-ness");
            (shape.Annotations?.Select(a => a.Name) ?? []).Should().BeEquivalentTo(actual.Annotations?.Select(a => a.Name) ?? [], $"'{name}' annotations");
        }
    }

    [Fact]
    public void Transformer_Transform_IsLazyAndReadsOnlyNeededColumns()
    {
        var ml = NewContext();
        var transformer = CreateEstimator(ml).Fit(TrainData(ml));
        var source = new CursorCountingDataView(TestData(ml));

        var transformed = transformer.Transform(source);
        source.CursorsOpened.Should().Be(0, "Transform must not read data before a cursor moves");

        var passThrough = transformed.Schema.First(c => !OutputColumns.Contains(c.Name) && !c.IsHidden);
        using (var cursor = transformed.GetRowCursor([transformed.Schema[passThrough.Index]]))
        {
            cursor.MoveNext();
        }

        source.ColumnsRequested.Should().BeEquivalentTo([passThrough.Name], "a cursor reading only a passed-through column must not activate the inputs of the computation");
    }

    [Fact]
    public void Transformer_SaveLoad_InProcess_IdenticalOutputs()
    {
        var ml = NewContext();
        var train = TrainData(ml);
        var test = TestData(ml);
        var transformer = CreateEstimator(ml).Fit(train);
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "model.zip");
        ml.Model.Save(transformer, train.Schema, path);

        var loaded = NewContext().Model.Load(path, out var inputSchema);

        inputSchema.Select(c => c.Name).Should().Equal(train.Schema.Select(c => c.Name));
        Outputs(loaded.Transform(test)).Should().Equal(Outputs(transformer.Transform(test)));
    }

    [Fact]
    public void Transformer_SaveLoad_FreshProcess_IdenticalOutputs()
    {
        var ml = NewContext();
        var train = TrainData(ml);
        var test = TestData(ml);
        var transformer = CreateEstimator(ml).Fit(train);
        string model = Path.Combine(RepoPaths.NewTempDirectory(), "model.zip");
        ml.Model.Save(transformer, train.Schema, model);

        var fresh = ModelRunnerProcess.Run(ml, model, test, OutputColumns);

        fresh.Should().Equal(Outputs(transformer.Transform(test)));
    }

    [Fact]
    public void Transformer_EveryInt32FieldOfTheSavedState_CorruptedWithValidCrc_FailsClearlyWithinAllocationBudget()
    {
        var ml = NewContext();
        var transformer = CreateEstimator(ml).Fit(TrainData(ml));
        var sweep = typeof(StateFieldSweep).GetMethod(nameof(StateFieldSweep.Run))!.MakeGenericMethod(transformer.GetType());

        int fields = (int)sweep.Invoke(null, System.Reflection.BindingFlags.DoNotWrapExceptions, null, [transformer, TestData(ml)], null)!;

        fields.Should().BeGreaterThan(3, "every component's state holds sizes and settings");
    }

    [Fact]
    public void Transformer_RowByRow_EqualsBatch()
    {
        var ml = NewContext();
        var test = TestData(ml);
        var transformer = CreateEstimator(ml).Fit(TrainData(ml));
        var batch = Outputs(transformer.Transform(test));

        // PredictionEngine's path: a row-to-row mapper over the input row.
        var mapper = transformer.GetRowToRowMapper(test.Schema);
        var rowByRow = new List<string>();
        using (var cursor = test.GetRowCursor(test.Schema))
        {
            var row = mapper.GetRow(cursor, mapper.OutputSchema.Where(c => OutputColumns.Contains(c.Name)));
            var readers = ColumnDump.Readers(row, OutputColumns);
            while (cursor.MoveNext())
            {
                rowByRow.Add(Convert.ToHexString(ColumnDump.RowBytes(readers)));
            }
        }

        rowByRow.Should().Equal(batch);
    }

    [Fact]
    public void Transformer_ShuffledRowsAndSubsets_SameOutputsPerRow()
    {
        var ml = NewContext();
        var test = TestData(ml);
        var transformer = CreateEstimator(ml).Fit(TrainData(ml));
        var byId = ColumnDump.Rows(transformer.Transform(test), OutputColumns).ToDictionary(r => r.Id, r => Convert.ToHexString(r.Bytes));

        var shuffled = ColumnDump.Rows(transformer.Transform(ml.Data.ShuffleRows(test, seed: 7)), OutputColumns);
        var subset = ColumnDump.Rows(transformer.Transform(ml.Data.TakeRows(ml.Data.SkipRows(test, 3), 5)), OutputColumns);

        shuffled.Should().HaveCount(byId.Count);
        shuffled.Select(r => r.Id).Should().NotEqual(byId.Keys, "the shuffle must really reorder the rows for this check to mean anything");
        foreach (var (id, bytes) in shuffled.Concat(subset))
        {
            Convert.ToHexString(bytes).Should().Be(byId[id], $"row {id} must not depend on the rows around it");
        }
    }

    [Fact]
    public void Transformer_ConvertToOnnx_OnnxRuntimeAgrees_OrExportIsRefusedClearly()
    {
        var ml = NewContext();
        var transformer = CreateEstimator(ml).Fit(TrainData(ml));
        var test = TestData(ml);
        if (OnnxRefusal is string refusal)
        {
            var export = () => OnnxScoring.Export(ml, transformer, test);
            export.Should().Throw<NotSupportedException>().WithMessage($"*{refusal}*");
            return;
        }

        var outputs = OnnxScoring.Run(OnnxScoring.Export(ml, transformer, test), test, batchSize: 16);
        var transformed = transformer.Transform(test);
        var tied = OnnxTiedRows(transformer, test);
        tied.Count.Should().BeLessThan((int)test.GetRowCount()!.Value / 2, "most rows are compared");
        foreach (string column in OutputColumns)
        {
            var expected = OnnxScoring.ReadColumn(transformed, column);
            var actual = outputs[$"{column}.output"];
            var compared = Enumerable.Range(0, expected.Count).Where(r => !tied.Contains(r)).ToList();
            double difference = Onnx.OnnxAgreement.MaxRelativeDifference(compared.Select(r => actual[r]).ToList(), compared.Select(r => expected[r]).ToList());
            difference.Should().BeLessThan(1e-4, $"ONNX Runtime's '{column}' should equal ML.NET's");
        }
    }

    [Fact]
    public void Estimator_FitTwice_IdenticalOutputs()
    {
        var first = NewContext();
        var second = NewContext();
        var a = CreateEstimator(first).Fit(TrainData(first)).Transform(TestData(first));
        var b = CreateEstimator(second).Fit(TrainData(second)).Transform(TestData(second));
        Outputs(a).Should().Equal(Outputs(b));
    }

    [Fact]
    public void Estimator_Fit_DoesNotChangeOptions()
    {
        var ml = NewContext();
        var estimator = CreateEstimator(ml);
        string before = JsonSerializer.Serialize(Options, Options?.GetType() ?? typeof(object));
        estimator.Fit(TrainData(ml)).Transform(TestData(ml)).Preview(maxRows: 3);
        JsonSerializer.Serialize(Options, Options?.GetType() ?? typeof(object)).Should().Be(before);
    }

    [Fact]
    public void Estimator_BadInputs_FitFailsClearly()
    {
        foreach (var bad in BadFitInputs)
        {
            var ml = NewContext();
            Action act = () => CreateEstimator(ml).Fit(bad.Data(ml));
            AssertThrows(act, bad, "Fit");
        }
    }

    [Fact]
    public void Transformer_BadInputs_TransformFailsClearly()
    {
        var ml = NewContext();
        var transformer = CreateEstimator(ml).Fit(TrainData(ml));
        foreach (var bad in BadTransformInputs)
        {
            Action act = () => Outputs(transformer.Transform(bad.Data(NewContext())));
            AssertThrows(act, bad, "Transform");
        }
    }

    /// <summary>The output columns' bits, one hex string per row, in row order.</summary>
    protected List<string> Outputs(IDataView transformed)
        => ColumnDump.Rows(transformed, OutputColumns).Select(r => Convert.ToHexString(r.Bytes)).ToList();

    private static void AssertThrows(Action act, BadInput bad, string stage)
    {
        Exception? caught = null;
        try
        {
            act();
        }
        catch (Exception e)
        {
            caught = e;
        }

        caught.Should().NotBeNull($"{stage} must reject: {bad.Name}");
        caught.Should().BeOfType(bad.Exception, $"{stage} on '{bad.Name}' threw: {caught}");
        foreach (string fragment in bad.MessageFragments)
        {
            caught!.Message.Should().Contain(fragment, $"the message for '{bad.Name}' should say so");
        }
    }
}
