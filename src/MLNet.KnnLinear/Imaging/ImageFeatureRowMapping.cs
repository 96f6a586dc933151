using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>Computes the features of one image into <paramref name="output"/>; one per thread.</summary>
internal delegate void ImageFeatureFunction(in PixelPlanes image, Span<float> output);

/// <summary>
/// Appends one known-size Single vector computed from an image column. Rows are read a block at a time and the block
/// is split into contiguous ranges, one per thread, each with its own scratch, so the output of a row never depends
/// on the thread count or its neighbours.
/// </summary>
internal sealed class ImageFeatureRowMapping : RowMapping
{
    private const int MaxRowsPerBlock = 256;

    private readonly ImageColumn _input;
    private readonly int _length;
    private readonly Func<ImageFeatureFunction> _createWorker;
    private readonly int _threads;
    private readonly ImageOnnxExport _onnx;

    // The transformer's spare block, shared by the mappings it binds (one a Transform call), and the shape a block
    // of this mapping has: a spare made for the same shape, thread count and output length is taken over.
    private readonly SpareBlock _spare;
    private readonly (string Column, ImageColumnKind Kind, int Height, int Width, int Channels, PixelLayout Layout, int Length, int Threads) _shape;

    public ImageFeatureRowMapping(DataViewSchema inputSchema, ImageColumn input, string outputColumnName, int length, Func<ImageFeatureFunction> createWorker, ImageOnnxExport onnx, int? threads, SpareBlock spare)
        : base(inputSchema)
    {
        _spare = spare;
        _shape = (input.Column.Name, input.Kind, input.Height, input.Width, input.Channels, input.Layout, length, Math.Max(0, threads ?? 0));
        _input = input;
        _length = length;
        _createWorker = createWorker;
        _onnx = onnx;
        _threads = Math.Max(0, threads ?? 0);
        Inputs = [input.Column];
        Columns = [new MappedColumn(outputColumnName, new VectorDataViewType(NumberDataViewType.Single, length), DataViewSchema.Annotations.Empty)];
    }

    public override IReadOnlyList<MappedColumn> Columns { get; }

    public override IReadOnlyList<DataViewSchema.Column> Inputs { get; }

    public override int MaxBlockRows => MaxRowsPerBlock;

    /// <summary>The stored image (bytes or floats, as the column holds them) and its features.</summary>
    public override long BytesPerRow => ImageStore.BytesPerImage(_input) + (4L * _length);

    /// <summary>
    /// A new block, or the spare the transformer's last disposed cursor gave back when it has this mapping's shape (see
    /// <see cref="SpareBlock"/>): its stored images, features and workers' scratch are then reused.
    /// </summary>
    public override RowBlock CreateBlock()
    {
        if (_spare.Take(_shape) is Block block)
        {
            block.Adopt(this);
            return block;
        }

        return new Block(this);
    }

    public override string ComponentName => _onnx.Component;

    public override void CheckOnnxExport() => _onnx.Check(_input);

    public override void ExportOnnx(MlNetInterop.OnnxGraph graph)
        => graph.SetColumn(Columns[0], _onnx.Export(graph, _input, graph.Column(_input.Column.Name)));

    private sealed class Block : RowBlock
    {
        private ImageFeatureRowMapping _mapping;
        private readonly ImageStore _images;
        private readonly BlockBuffer<float> _features;
        private readonly ImageFeatureFunction?[] _workers;
        private ImageReader? _reader;

        public Block(ImageFeatureRowMapping mapping)
        {
            _mapping = mapping;
            string column = $"Image column '{mapping._input.Column.Name}'";
            _images = new ImageStore(mapping._input);
            _features = new BlockBuffer<float>(mapping._length, column);
            _workers = new ImageFeatureFunction?[KnnLinearParallelism.ThreadsFor(mapping._threads)];
        }

        public override void Reserve(int rows)
        {
            _images.Reserve(rows);
            _features.Reserve(rows);
        }

        public override void Bind(DataViewRow source) => _reader = _mapping._input.CreateReader(source, _reader);

        /// <summary>Serves <paramref name="mapping"/> (of the same shape as the one it was made for) from now on.</summary>
        public void Adopt(ImageFeatureRowMapping mapping) => _mapping = mapping;

        public override void Release()
        {
            _reader?.Detach(); // a spare block does not keep the disposed cursor's source alive, only the reader's buffer
            _mapping._spare.Give(_mapping._shape, this);
        }

        public override void Append(int slot) => _reader!.Read(_images, slot);

        public override void Compute(int count)
        {
            int threads = Math.Min(_workers.Length, Math.Max(1, count / 8));
            if (threads == 1)
            {
                ComputeRange(0, 0, count);
                return;
            }

            ParallelRanges.Run(threads, t => ComputeRange(t, (int)((long)count * t / threads), (int)((long)count * (t + 1) / threads)));
        }

        public override Delegate CreateGetter(int column, Func<int> slot)
            => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var features = _features.Row(slot());
                var editor = VBufferEditor.Create(ref value, features.Length);
                features.CopyTo(editor.Values);
                value = editor.Commit();
            });

        private void ComputeRange(int worker, int start, int end)
        {
            var compute = _workers[worker] ??= _mapping._createWorker();
            for (int row = start; row < end; row++)
            {
                compute(_images.Image(row), _features.Row(row));
            }
        }
    }
}
