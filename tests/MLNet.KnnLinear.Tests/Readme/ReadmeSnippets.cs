// The regions of this file are the C# blocks of the README (README.md), line for line after their common
// indentation: each "#region NAME" is the block under the README's "<!-- snippet: NAME -->" line. The file is
// compiled with the tests, so every README block compiles against the public API, and a test compares the regions
// with the README's blocks. Edit the README and this file together. (The quick start is tests/Consumer/QuickStart.cs,
// compared by .ci/consumer-test.) The methods only need to compile; nothing calls them.
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;

namespace MLNet.KnnLinear.Tests.Readme;

/// <summary>The README's C# blocks (other than the quick start), each a region in a method that supplies what it uses.</summary>
public static class ReadmeSnippets
{
    /// <summary>The kNN trainer: options, evaluation, the neighbours behind a prediction.</summary>
    public static void KnnOptions(MLContext ml, IDataView trainData, IDataView testData, float[] query)
    {
        #region knn-options
        var trainer = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options
        {
            FeatureColumnName = "Pixels",               // LoadFromCifar10's pixel bytes, taken as they are
            NumberOfNeighbors = 7,
            Distance = KnnDistance.L1,
            Weighting = KnnWeighting.InverseDistance,   // votes weighted 1/d
        });
        KnnPredictionTransformer knn = trainer.Fit(trainData);
        var metrics = ml.MulticlassClassification.Evaluate(knn.Transform(testData));
        Console.WriteLine($"accuracy {metrics.MicroAccuracy:P2}, log-loss {metrics.LogLoss:F3}");
        // The training rows behind a prediction (query: one row of features): row number, distance and class.
        foreach (KnnNeighbor neighbor in knn.Model.FindNearestNeighbors(query))
        {
            Console.WriteLine($"row {neighbor.Row}, distance {neighbor.Distance}, class {knn.ClassNames?[neighbor.ClassIndex]}");
        }
        #endregion
    }

    /// <summary>A kNN model searching an inverted file, and a copy probing more lists.</summary>
    public static void KnnApproximateIndex(MLContext ml, IDataView trainData)
    {
        #region knn-approximate-index
        var trainer = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options
        {
            FeatureColumnName = "Pixels",
            Distance = KnnDistance.L2,
            Index = new IvfIndexOptions { NumberOfLists = 256, NumberOfProbes = 16 },   // or new HnswIndexOptions()
        });
        KnnPredictionTransformer model = trainer.Fit(trainData);
        // A fitted model's index is read-only (every prediction engine shares it, and it is saved with the model):
        // WithSearchSize gives a model that searches with another number of probes (or efSearch), sharing the rows.
        KnnPredictionTransformer wider = model.WithSearchSize(64);
        #endregion
    }

    /// <summary>NeighborIndex on its own: build, search, faiss files.</summary>
    public static void NeighborIndexOnItsOwn(float[] rows, float[] queries)
    {
        #region neighbor-index
        // rows and queries: row-major float32, 192 values per row.
        var index = NeighborIndex.Build(rows, dimension: 192, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 32 });
        index.SetSearchSize(128);                         // efSearch here; the number of probes for an inverted file
        int k = 10;
        int queryCount = queries.Length / index.Dimension;
        var ids = new long[queryCount * k];
        var distances = new float[queryCount * k];
        index.Search(queries, k, ids, distances);         // query-major, nearest first; -1 / +inf where fewer than k
        index.SaveFaiss("index.faiss");                   // faiss.read_index reads it
        NeighborIndex fromFaiss = NeighborIndex.LoadFaiss("index.faiss");
        #endregion
    }

    /// <summary>Indexes that grow: train, add with ids, remove, search by id, range search.</summary>
    public static void NeighborIndexGrowth(float[] sample, byte[] pixels, long[] productIds, long[] discontinued, float[] query)
    {
        #region neighbor-index-growth
        var catalogue = NeighborIndex.Create(dimension: 3072, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 256 });
        catalogue.Train(sample);                          // an inverted file's centroids (exact and HNSW: nothing to learn)
        catalogue.Add(pixels, productIds);                // byte or float rows, with 64-bit ids of yours
        long removed = catalogue.Remove(discontinued);    // those ids are never returned again
        var ids = new long[10];
        var distances = new float[10];
        catalogue.Search(query, 10, ids, distances);      // your ids; -1 / +inf fill
        NeighborRangeResult near = catalogue.SearchRadius(query, radius: 900f);
        for (long i = near.Limits[0]; i < near.Limits[1]; i++)
        {
            Console.WriteLine($"id {near.Ids[(int)i]} at distance {near.Distances[(int)i]}");
        }
        #endregion
    }

    /// <summary>Rows stored as 8-bit codes (faiss' SQ8) in an inverted file.</summary>
    public static void ScalarQuantizedIndex(byte[] pixels, float[] query)
    {
        #region neighbor-index-sq8
        var compact = NeighborIndex.Create(dimension: 3072, KnnDistance.L2,
            new IvfIndexOptions { NumberOfLists = 1024, Encoding = new ScalarQuantizerEncoding() });   // faiss' "IVF1024,SQ8"
        compact.Train(pixels);                            // the centroids, then each dimension's range of the residuals
        compact.Add(pixels);                              // one byte a dimension, whatever the rows were
        var ids = new long[10];
        var distances = new float[10];
        compact.Search(query, 10, ids, distances);        // distances to the rows as the codes decode
        compact.SaveFaiss("compact.faiss");               // an IndexIVFScalarQuantizer for faiss.read_index
        #endregion
    }

    /// <summary>Rows stored as product codes (faiss' PQ96) in an inverted file.</summary>
    public static void ProductQuantizedIndex(byte[] pixels, float[] query)
    {
        #region neighbor-index-pq
        var small = NeighborIndex.Create(dimension: 3072, KnnDistance.L2,
            new IvfIndexOptions { NumberOfLists = 1024, Encoding = new ProductQuantizerEncoding { Subquantizers = 96 } });   // faiss' "IVF1024,PQ96"
        small.Train(pixels);                              // the centroids, then 96 × 256 sub-centroids of the residuals
        small.Add(pixels);                                // 96 bytes a row, whatever the rows were
        var ids = new long[10];
        var distances = new float[10];
        small.Search(query, 10, ids, distances);          // distances to the rows as the codes decode (faiss' ADC)
        small.SaveFaiss("small.faiss");                   // an IndexIVFPQ for faiss.read_index
        #endregion
    }

    /// <summary>Product codes whose candidates are re-ranked on the pixel rows (faiss' IndexRefineFlat).</summary>
    public static void RefinedIndex(byte[] pixels, float[] query)
    {
        #region neighbor-index-refine
        var refined = NeighborIndex.Create(dimension: 3072, KnnDistance.L2,
            new IvfIndexOptions
            {
                NumberOfLists = 1024,
                Encoding = new ProductQuantizerEncoding { Subquantizers = 96 },
                RefineFactor = 10,                        // faiss' "IVF1024,PQ96,RFlat" with k_factor 10
            });
        refined.Train(pixels);
        refined.Add(pixels);                              // 96-byte codes, and the pixel rows as bytes beside them
        var ids = new long[10];
        var distances = new float[10];
        refined.Search(query, 10, ids, distances);        // the codes' 100 best, ranked by exact distances
        refined.SaveFaiss("refined.faiss");               // an IndexRefineFlat around the IndexIVFPQ
        #endregion
    }

    /// <summary>FindNearestNeighbors as a pipeline step.</summary>
    public static void SimilaritySearchStep(MLContext ml, IDataView referenceImages, IDataView queryImages)
    {
        #region find-nearest-neighbors
        var search = ml.Transforms.FindNearestNeighbors("Neighbors", "Pixels", numberOfNeighbors: 10, distance: KnnDistance.L1)
            .Fit(referenceImages);
        IDataView withNeighbors = search.Transform(queryImages);
        foreach (VBuffer<int> rows in withNeighbors.GetColumn<VBuffer<int>>("Neighbors").Take(3))
        {
            Console.WriteLine(string.Join(", ", rows.DenseValues()));   // row numbers of referenceImages, nearest first
        }
        #endregion
    }

    /// <summary>The linear classifier with options, and what its model holds.</summary>
    public static void LinearClassifierOptions(MLContext ml, IDataView trainData)
    {
        #region linear-classifier
        var pipeline = ml.Transforms.Conversion.ConvertType("Features", "Pixels", DataKind.Single)
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
            {
                Loss = LinearLoss.OneVersusRestSquaredHinge,   // or Hinge (default), SquaredHinge, Softmax
                Regularization = Regularization.L2,            // None, L1, L2, ElasticNet (+ L1Ratio); biases are not regularized
                Lambda = 0.1,
            }));
        var model = pipeline.Fit(trainData);
        LinearModelParameters linear = model.LastTransformer.Model;
        IReadOnlyList<float> weights = linear.Weights;         // W: classes × features, row-major
        IReadOnlyList<float> biases = linear.Biases;           // b
        OptimizationTrace? trace = linear.Trace;               // objective, optimality and seconds per iteration
        Console.WriteLine($"{trace?.Objective.Count} iterations, objective {trace?.FinalObjective}, stopped: {trace?.StopReason}");
        #endregion
    }

    /// <summary>HoG + hue histogram features for a linear classifier, and HoG cell histograms.</summary>
    public static void ImageFeaturizers(MLContext ml, IDataView trainData)
    {
        #region featurizers
        var features = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options
            {
                OutputColumnName = "Hog",
                InputColumnName = "Pixels",                    // an MLImage column, or a Byte/Single pixel vector
                Voting = HogVoting.Trilinear,                  // Dalal-Triggs as OpenCV; HogVoting.Hard = scikit-image
                SqrtCompression = true,
            })                                                 // 9 orientations, 8 × 8 cells, 2 × 2 blocks, L2Hys
            .Append(ml.Transforms.ExtractColorHistogram("Hue", "Pixels"))   // CS231n: 10 hue bins over [0, 255]
            .Append(ml.Transforms.Concatenate("Features", "Hog", "Hue"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"));
        var model = features
            .Append(ml.MulticlassClassification.Trainers.LinearClassifier(loss: LinearLoss.Softmax, lambda: 1e-3))
            .Fit(trainData);
        // The cell histograms of one image (before block normalisation), [cell row, cell column, orientation]:
        HogFeaturesTransformer hog = ml.Transforms.ExtractHogFeatures("Hog", "Pixels").Fit(trainData);
        HogCellHistograms cells = hog.GetCellHistograms(trainData, row: 0);
        float firstBin = cells[0, 0, 0];
        #endregion
    }

    /// <summary>Choosing k by 5-fold cross-validation.</summary>
    public static void HyperparameterSweeps(MLContext ml, IDataView trainData)
    {
        #region sweeps
        var candidates = new[] { 1, 3, 5, 7, 10 }.Select(k => new SweepCandidate($"k = {k}", k,
            ml.MulticlassClassification.Trainers.Knn(featureColumnName: "Pixels", numberOfNeighbors: k, distance: KnnDistance.L1)));
        SweepResult sweep = ml.MulticlassClassification.SweepByCrossValidation(trainData, candidates, numberOfFolds: 5,
            progress: new Progress<SweepProgress>(p => Console.WriteLine(p)));   // candidate, fold, accuracy, fits done
        Console.WriteLine(sweep.ToTable());                                        // per fold, mean ± std, the best marked
        int bestK = (int)sweep.Best.Candidate.Parameter;

        // Another metric (MacroAccuracy, LogLoss: lowest wins, TopKAccuracy(k)), and two choices swept together, each
        // candidate carrying its settings as an object:
        var grid = from distance in new[] { KnnDistance.L1, KnnDistance.L2 }
                   from k in new[] { 1, 5, 10 }
                   select new SweepCandidate($"k = {k}, {distance}", k,
                       ml.MulticlassClassification.Trainers.Knn(featureColumnName: "Pixels", numberOfNeighbors: k, distance: distance))
                   { Settings = (distance, k) };
        SweepResult byLogLoss = ml.MulticlassClassification.SweepByValidationSplit(trainData, grid, metric: SweepMetric.LogLoss);
        var (bestDistance, bestNeighbors) = ((KnnDistance, int))byLogLoss.Best.Candidate.Settings!;
        #endregion
    }

    /// <summary>ONNX export with ML.NET's ConvertToOnnx, and scoring the file back with ApplyOnnxModel.</summary>
    public static void OnnxExport(MLContext ml, string cifarDirectory)
    {
        #region onnx-export
        // ONNX has no image type, and the exporter makes every column of the data a graph input: leave the Image column out.
        var train = ml.Data.LoadFromCifar10(cifarDirectory, Cifar10Split.Train, includeImages: false);
        var test = ml.Data.LoadFromCifar10(cifarDirectory, Cifar10Split.Test, includeImages: false);
        var model = ml.Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 4)
            .Append(ml.Transforms.ExtractColorHistogram("Hue", "Pixels"))
            .Append(ml.Transforms.Concatenate("Features", "Hog", "Hue"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.LinearClassifier())
            .Fit(train);
        using (var file = File.Create("cifar10.onnx"))
        {
            ml.Model.ConvertToOnnx(model, train, file);        // opset 12; ConvertToOnnx(model, train, 11, file) for 11
        }
        // Back in ML.NET (Microsoft.ML.OnnxTransformer): columns Score and PredictedLabel, as the model's.
        var scored = ml.Transforms.ApplyOnnxModel("cifar10.onnx").Fit(test).Transform(test);
        #endregion
    }

    /// <summary>The MLNet.KnnLinear.Visualization package's plots and pictures.</summary>
    public static void PlotsAndPictures(SweepResult sweep, MulticlassClassificationMetrics metrics, KnnPredictionTransformer knn, LinearPredictionTransformer linear, HogFeaturesTransformer hog, IDataView images, IReadOnlyList<float[]> queryImages, IReadOnlyList<int> queryClasses, IReadOnlyList<float[]> trainingImages)
    {
        #region visualization
        sweep.SavePlot("cv.png", "k", "kNN: 5-fold cross-validation");     // dots per fold, mean line, ± std bars, best marked
        metrics.ConfusionMatrix.SavePlot("confusion.png", knn.ClassNames, "Confusion matrix (test)");   // labelled heat map
        linear.Model.Trace?.SavePlot("trace.png");                          // objective against iteration and time
        linear.Model.SaveClassTemplates("templates", 32, 32, channels: 3);  // each class's weights as a picture
        hog.SaveVisualization(images, 0, "hog.png", scale: 8);              // scikit-image's visualize=True glyphs
        knn.Model.SaveNeighborGrid(queryImages, queryClasses, trainingImages, "neighbours.png");   // green frame: same class
        #endregion
    }

    /// <summary>Progress of an index addition, and ML.NET's log.</summary>
    public static void IndexProgress(MLContext ml, float[] rows)
    {
        #region index-progress
        var index = NeighborIndex.Create(dimension: 192, KnnDistance.L2, new HnswIndexOptions());
        index.Add(rows, new Progress<NeighborIndexProgress>(p => Console.WriteLine(p)), CancellationToken.None);
        // "HNSW insertion 0 of 129,088 (0 %), 0.0 s" … "HNSW insertion 129,088 of 129,088 (100 %), <seconds> s"
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info) Console.WriteLine(e.Message); };
        #endregion
    }

    /// <summary>Cancelling an index addition with a CancellationToken.</summary>
    public static void IndexCancellation(float[] rows)
    {
        #region index-cancellation
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var graph = NeighborIndex.Create(dimension: 192, KnnDistance.L2, new HnswIndexOptions());
        try
        {
            graph.Add(rows, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"Cancelled; the graph holds {graph.Count} rows, as before the call.");
        }
        #endregion
    }
}
