using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// Progress of long index work: to the caller's <see cref="IProgress{T}"/> from <see cref="NeighborIndex"/> (on the
/// calling thread, counts rising to the stage's total), and to ML.NET's log from the trainers' <c>Fit</c>.
/// </summary>
public sealed class IndexProgressTests
{
    private const int Dimension = 16;

    [Fact]
    public void HnswAdd_ReportsInsertionRisingToEveryRow_OnTheCallingThread()
    {
        var rows = IvfIndexTests.Clustered(20_000, Dimension, centers: 20, seed: 1);
        var index = NeighborIndex.Create(Dimension, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 32 });
        var reports = new SynchronousProgress();

        index.Add(rows, reports, CancellationToken.None);

        var insertion = reports.Items.Where(p => p.Stage == "HNSW insertion").ToList();
        insertion.Should().HaveCountGreaterThan(5, "the graph is built in many batches");
        insertion.Select(p => p.Completed).Should().BeInAscendingOrder().And.OnlyContain(c => c >= 0 && c <= 20_000);
        insertion.Should().OnlyContain(p => p.Total == 20_000);
        insertion[^1].Completed.Should().Be(20_000);
        insertion[^1].Fraction.Should().Be(1);
        reports.Threads.Should().Equal(Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void IvfTrainAndAdd_ReportKMeansIterationsAndRowsFiled()
    {
        var rows = IvfIndexTests.Clustered(40_000, Dimension, centers: 20, seed: 2);
        var index = NeighborIndex.Create(Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 32 });
        var training = new SynchronousProgress();
        var adding = new SynchronousProgress();

        index.Train(rows, training, CancellationToken.None);
        index.Add(rows, adding, CancellationToken.None);

        training.Items.Should().OnlyContain(p => p.Stage == "k-means iteration");
        training.Items.Select(p => p.Completed).Should().BeInAscendingOrder();
        training.Items[^1].Completed.Should().Be(training.Items[^1].Total).And.BePositive();
        adding.Items.Should().OnlyContain(p => p.Stage == "rows filed in lists" && p.Total == 40_000);
        adding.Items.Select(p => p.Completed).Should().StartWith(0L).And.EndWith(40_000L).And.BeInAscendingOrder();
        adding.Items.Should().HaveCountGreaterThan(2, "40,000 rows are filed in chunks of 16,384");
    }

    [Fact]
    public void ByteAdd_ElapsedRunsFromTheCallsStart_AcrossChunks()
    {
        // 3,072-byte rows: a 16 MiB-of-floats chunk holds 1,365 rows, so 4,000 rows are added in 3 chunks.
        const int d = 3072;
        var rows = new byte[4_000 * d];
        new Random(5).NextBytes(rows);
        var index = NeighborIndex.Create(d, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 16 });
        var reports = new SynchronousProgress();

        index.Add(rows, reports, CancellationToken.None);

        reports.Items.Count(p => p.Completed == 0).Should().BeGreaterThan(1, "each chunk is its own HNSW insertion");
        reports.Items.Select(p => p.Elapsed).Should().BeInAscendingOrder("one clock for the whole call");
    }

    [Fact]
    public void ProgressEndsWithTheCall_ALaterAddWithoutItReportsNothingToIt()
    {
        var rows = IvfIndexTests.Clustered(2_000, Dimension, centers: 5, seed: 3);
        var index = NeighborIndex.Create(Dimension, KnnDistance.L2, new HnswIndexOptions());
        var reports = new SynchronousProgress();
        index.Add(rows.AsSpan(0, 1_000 * Dimension), reports, CancellationToken.None);
        int count = reports.Items.Count;

        index.Add(rows.AsSpan(1_000 * Dimension));

        reports.Items.Should().HaveCount(count);
    }

    [Fact]
    public void KnnFit_HnswIndex_ReportsInsertionInTheMlContextLog()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
            {
                messages.Add(e.Message);
            }
        };
        var rows = IvfIndexTests.Clustered(20_000, Dimension, centers: 20, seed: 4);
        var data = SyntheticData.Keyed(ml, Enumerable.Range(0, 20_000).Select(i => new LabelledRow { Label = SyntheticData.ClassNames[i % 4], Features = rows.AsSpan(i * Dimension, Dimension).ToArray() }), Dimension);

        ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { Index = new HnswIndexOptions { MaxConnections = 8 } }).Fit(data);

        List<string> snapshot;
        lock (messages)
        {
            snapshot = [.. messages];
        }

        snapshot.Should().Contain(m => m.Contains("HNSW insertion 0 of 20,000", StringComparison.Ordinal), "a stage is announced when it starts");
        snapshot.Should().Contain(m => m.Contains("HNSW insertion 20,000 of 20,000 (100 %)", StringComparison.Ordinal), "and when it completes");
    }

    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.Cosine)]
    public void AnHnswAddCancelledPartWay_LeavesTheGraphAndItsRowsAsTheyWere(KnnDistance distance)
    {
        var rows = IvfIndexTests.Clustered(3_000, Dimension, centers: 5, seed: 11);
        var options = new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 16 };
        var cancelled = NeighborIndex.Create(Dimension, distance, options);
        var untouched = NeighborIndex.Create(Dimension, distance, options);
        cancelled.Add(rows.AsSpan(0, 1_000 * Dimension));
        untouched.Add(rows.AsSpan(0, 1_000 * Dimension));

        // Cancel from the progress callback once insertion has started: the rows are stored by then.
        using var source = new CancellationTokenSource();
        var stopper = new CancellingProgress(source);
        var add = () => cancelled.Add(rows.AsSpan(1_000 * Dimension, 1_000 * Dimension), stopper, source.Token);
        add.Should().Throw<OperationCanceledException>();
        cancelled.Count.Should().Be(1_000);

        // The same later add gives both the same graph: no row of the cancelled add is left behind.
        cancelled.Add(rows.AsSpan(2_000 * Dimension));
        untouched.Add(rows.AsSpan(2_000 * Dimension));
        var queries = rows.AsSpan(0, 50 * Dimension);
        var (idsA, distancesA) = (new long[500], new float[500]);
        var (idsB, distancesB) = (new long[500], new float[500]);
        cancelled.Search(queries, 10, idsA, distancesA);
        untouched.Search(queries, 10, idsB, distancesB);
        idsA.Should().Equal(idsB);
        distancesA.Should().Equal(distancesB);
    }

    /// <summary>Cancels its source at the first report of insertion work done.</summary>
    private sealed class CancellingProgress(CancellationTokenSource source) : IProgress<NeighborIndexProgress>
    {
        public void Report(NeighborIndexProgress value)
        {
            if (value.Completed > 0)
            {
                source.Cancel();
            }
        }
    }

    /// <summary>An <see cref="IProgress{T}"/> that records each report where it is made (<see cref="Progress{T}"/> would post it elsewhere).</summary>
    private sealed class SynchronousProgress : IProgress<NeighborIndexProgress>
    {
        private readonly HashSet<int> _threads = [];

        public List<NeighborIndexProgress> Items { get; } = [];

        public IEnumerable<int> Threads => _threads;

        public void Report(NeighborIndexProgress value)
        {
            Items.Add(value);
            _threads.Add(Environment.CurrentManagedThreadId);
        }
    }
}
